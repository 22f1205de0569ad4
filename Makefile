# Workbench for the arm64 pageattr series on Linux 6.12 (see README.md).
#
#   make demo     set up, build the patched kernel, boot it, run the suites
#   make check    everything: apply, checkpatch, bisect, KUnit
#
# Smaller steps: deps, tree, series (export build/linux to patches/),
# kunit (the pageattr suites, 4K pages), mbox, clean.

SHELL := /bin/bash
S := scripts

.PHONY: all demo check deps tree series kunit mbox clean distclean

all: demo

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/mktree.sh

series:
	@$(S)/export.sh

kunit: tree
	@$(S)/kunit.sh 4k

demo: tree
	@$(S)/demo.sh

check:
	@$(S)/check.sh

mbox: tree
	@$(S)/mbox.sh

clean:
	rm -rf build/kunit-* build/results build/demo

distclean:
	rm -rf build
