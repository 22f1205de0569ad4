# Workbench for the arm64 pageattr series on Linux 6.12 (see README.md).
#
#   make demo     base 6.12 vs patched on the same QEMU machine: linear map,
#                 DirectMap, benchmarks, real clients, picture; build/demo/
#   make check    what CI runs: apply, checkpatch, the KUnit matrix,
#                 demo smoke, lifecycles, W=1/sparse, kernel-doc, htmldocs,
#                 get_maintainer
#   make bisect   apply, checkpatch, then the base and every patch built in
#                 order, booted, their KUnit suites run (after each export)
#   make check-full  make check, the bisect and the rest of the KUnit matrix
#                 (64K pages, kunit.py's own configuration, 39-bit VA, debug
#                 on kunit.py's config)
#   make torture [DURATION=300]  the pageattr_torture suite for minutes in
#                 the Debian arm64 debug kernel
#   make mutants  the torture test against mutants of the series (3 runs)
#   make lifecycle  hot-remove, hibernation and resume, kexec and kdump on
#                 base 6.12, patched and patched with arm64.nobbml2, each
#                 from a split and changed linear map; build/lifecycle/table.md
#
# Smaller steps: deps, tree, series (export build/linux to patches/),
# kunit (the pageattr suites, 4K pages), mbox, clean.

SHELL := /bin/bash
S := scripts

.PHONY: all demo check bisect check-full torture mutants lifecycle deps tree series kunit mbox clean distclean

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

bisect:
	@BISECT_ONLY=1 $(S)/check.sh

check-full:
	@CHECK_FULL=1 $(S)/check.sh

torture: tree
	@DURATION=$(DURATION) $(S)/torture.sh

mutants: tree
	@$(S)/mutants.sh

lifecycle: tree
	@$(S)/lifecycle.sh

mbox: tree
	@$(S)/mbox.sh

clean:
	rm -rf build/kunit-* build/results build/demo build/demo-* build/static-* build/lifecycle* \
		build/htmldocs* build/kernel-doc-base

distclean:
	rm -rf build
