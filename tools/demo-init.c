// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the demo initramfs, built statically for arm64. The host parses
 * what it prints (lines starting with "@@"); see tools/bench.py.
 *
 * demo.mode=map   the linear map (ptdump) and /proc/meminfo, then power off
 * demo.mode=full  the same before and after the benchmarks: the workbench's
 *                 pageattr_bench (debugfs), secretmem faults, the kernel's
 *                 memfd_secret selftest, module load/unload (the kernel's
 *                 test_module) and BPF program loads; then KFENCE switched
 *                 on at run time, with the linear map before and after
 * demo.mode=steps the parts of a single-page change, alone (experiments)
 * demo.mode=bpf   each BPF load timed alone, by round: median, tail, total
 *                 (demo.bpfpin=1 pins the loader, demo.bpfsettle=1 waits
 *                 between rounds; the experiment behind the pinned loads)
 * demo.quick=1    fewer repetitions (the smoke run of make check)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_finit_module
#define __NR_finit_module 273
#endif
#ifndef __NR_delete_module
#define __NR_delete_module 106
#endif
#ifndef __NR_memfd_secret
#define __NR_memfd_secret 447
#endif

#define BENCH "/sys/kernel/debug/pageattr_bench"

static char cmdline[1024];
static int quick;

static void cat(const char *path, const char *from, const char *to)
{
	char line[512];
	int on = !from;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("@@error cannot open %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		if (from && strstr(line, from))
			on = 1;
		if (on)
			fputs(line, stdout);
		if (on && to && strstr(line, to))
			break;
	}
	fclose(f);
}

static void linear_map(const char *when)
{
	printf("@@ptdump-begin %s\n", when);
	cat("/sys/kernel/debug/pageattr_bench_linear_map", "Linear Mapping start",
	    "Linear Mapping end");
	printf("@@ptdump-end %s\n@@meminfo-begin %s\n", when, when);
	cat("/proc/meminfo", NULL, NULL);
	printf("@@meminfo-end %s\n", when);
	fflush(stdout);
}

static char result[256 * 1024];

/* One command to the bench file; its result is left in result[]. */
static int bench_quiet(const char *cmd)
{
	int fd, ret = 0;
	ssize_t n;

	result[0] = 0;
	fd = open(BENCH, O_RDWR);
	if (fd < 0) {
		printf("@@error %s: %s\n", BENCH, strerror(errno));
		return -1;
	}
	if (write(fd, cmd, strlen(cmd)) < 0) {
		printf("@@error bench '%s': %s\n", cmd, strerror(errno));
		ret = -1;
	}
	/* what the command wrote before failing, if anything */
	lseek(fd, 0, SEEK_SET);
	n = read(fd, result, sizeof(result) - 1);
	close(fd);
	result[n > 0 ? n : 0] = 0;
	return ret;
}

/* One command to the bench file; its result lines are printed as "@@bench". */
static void bench(const char *fmt, ...)
{
	char cmd[128], *line, *save;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);

	bench_quiet(cmd);
	for (line = strtok_r(result, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		printf("@@bench %s\n", line);
	fflush(stdout);
}

/* Page-table pages under the linear map, or -1. */
static long tables(void)
{
	long n = -1;
	char *p;

	if (bench_quiet("tables") == 0 && (p = strstr(result, "linear_map=")))
		n = strtol(p + strlen("linear_map="), NULL, 10);
	return n;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * Fault in a memfd_secret() mapping page by page: each fault takes the
 * page out of the linear map (set_direct_map_invalid_noflush() and a TLB
 * flush); closing it puts the pages back.
 */
static unsigned long long phase_start;

/* how long each part of the run took, for the demo's own time budget */
static void phase(const char *name)
{
	unsigned long long t = now_ns();

	if (phase_start)
		printf("@@phase %s ms=%llu\n", name, (t - phase_start) / 1000000);
	phase_start = t;
	fflush(stdout);
}

static void secretmem(int rounds, long pages)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	long page = sysconf(_SC_PAGESIZE), i;
	int r;

	/* secretmem pages count against RLIMIT_MEMLOCK, 8 MiB by default */
	if (setrlimit(RLIMIT_MEMLOCK, &unlimited))
		printf("@@error setrlimit: %s\n", strerror(errno));

	for (r = 0; r < rounds; r++) {
		long before = tables();
		unsigned long long t;
		char *p;
		int fd = syscall(__NR_memfd_secret, 0);

		if (fd < 0) {
			printf("@@bench secretmem error=%s\n", strerror(errno));
			return;
		}
		if (ftruncate(fd, pages * page)) {
			printf("@@bench secretmem error=ftruncate:%s\n", strerror(errno));
			close(fd);
			return;
		}
		p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			printf("@@bench secretmem error=mmap:%s\n", strerror(errno));
			close(fd);
			return;
		}
		t = now_ns();
		for (i = 0; i < pages; i++)
			p[i * page] = 1;
		t = now_ns() - t;
		munmap(p, pages * page);
		close(fd);
		printf("@@bench secretmem round=%d pages=%ld ns=%llu new_tables=%ld\n",
		       r, pages, t, tables() - before);
	}
	fflush(stdout);
}

static void write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) < 0)
		printf("@@error write %s to %s: %s\n", val, path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/*
 * Load and unload the kernel's test_module: each load maps module text,
 * makes it read-only and executable (set_memory_*() on the module area
 * and its linear alias), each unload frees it with VM_FLUSH_RESET_PERMS.
 */
static void modules(int rounds, int per_round)
{
	int r, i, fd, err = 0;

	/* test_module says hello at KERN_WARNING: keep it off the console */
	write_file("/proc/sys/kernel/printk", "1");
	for (r = 0; r < rounds && !err; r++) {
		unsigned long long t = now_ns();

		for (i = 0; i < per_round; i++) {
			fd = open("/test_module.ko", O_RDONLY);
			if (fd < 0 || syscall(__NR_finit_module, fd, "", 0)) {
				err = errno;
				break;
			}
			close(fd);
			if (syscall(__NR_delete_module, "test_module", O_NONBLOCK)) {
				err = errno;
				break;
			}
		}
		t = now_ns() - t;
		if (err)
			printf("@@bench module error=%s\n", strerror(err));
		else
			printf("@@bench module round=%d ops=%d ns=%llu\n", r, per_round, t);
	}
	write_file("/proc/sys/kernel/printk", "7");
	fflush(stdout);
}

/* Load the demo's minimal socket filter (r0 = 0; exit): its fd, or -1. */
static int bpf_load_one(void)
{
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)prog;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	return syscall(__NR_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
}

/*
 * Load a minimal socket filter (r0 = 0; exit) through bpf() and close it:
 * the JIT writes it into executable memory, freeing it gives that back.
 */
static void bpf_loads(int rounds, int per_round)
{
	int r, i, fd, keep, err = 0;

	cpu_set_t all, one;

	/*
	 * The loader stays on CPU 0. Free to move, it competes with the
	 * kworkers that free the previous programs for the host's cores (4
	 * vCPUs on 2 under TCG) and the rounds of base 6.12 alone varied 4x
	 * between quartiles; pinned, the programs are freed on the CPU that
	 * loaded them and rounds vary by about 15% (demo.mode=bpf shows it).
	 */
	sched_getaffinity(0, sizeof(all), &all);
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	sched_setaffinity(0, sizeof(one), &one);
	/*
	 * One program stays loaded throughout, as on a system that runs
	 * BPF: its JIT pack stays allocated, and the rate does not depend
	 * on when RCU lets the last program of a pack go.
	 */
	keep = bpf_load_one();
	for (r = 0; r < rounds && !err && keep >= 0; r++) {
		unsigned long long t = now_ns();

		for (i = 0; i < per_round; i++) {
			fd = bpf_load_one();
			if (fd < 0) {
				err = errno;
				break;
			}
			close(fd);
		}
		t = now_ns() - t;
		if (err)
			printf("@@bench bpf error=%s\n", strerror(err));
		else
			printf("@@bench bpf round=%d ops=%d ns=%llu\n", r, per_round, t);
	}
	if (keep < 0)
		printf("@@bench bpf error=%s\n", strerror(errno));
	else
		close(keep);
	sched_setaffinity(0, sizeof(all), &all);
	fflush(stdout);
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * Experiment: each BPF load timed alone, so that the distribution shows
 * whether the rate's noise is every load or a few slow ones. With
 * demo.bpfsettle=1 each round starts after a pause that lets the previous
 * round's frees (RCU, then a work item) finish; with demo.bpfpin=1 the
 * loader stays on CPU 0.
 */
static void bpf_exp(int rounds, int per_round)
{
	static unsigned long long ns[1000];
	int settle = !!strstr(cmdline, "demo.bpfsettle=1");
	int r, i, fd, keep;

	if (strstr(cmdline, "demo.bpfpin=1")) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(0, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	keep = bpf_load_one();
	for (r = 0; r < rounds && keep >= 0; r++) {
		unsigned long long total = 0;

		if (settle)
			usleep(500000);
		for (i = 0; i < per_round; i++) {
			unsigned long long t = now_ns();

			fd = bpf_load_one();
			if (fd >= 0)
				close(fd);
			ns[i] = now_ns() - t;
			total += ns[i];
		}
		qsort(ns, per_round, sizeof(ns[0]), cmp_ull);
		printf("@@bpfexp round=%d total=%llu p10=%llu p50=%llu p90=%llu p99=%llu max=%llu\n",
		       r, total, ns[per_round / 10], ns[per_round / 2],
		       ns[per_round * 9 / 10], ns[per_round * 99 / 100],
		       ns[per_round - 1]);
	}
	fflush(stdout);
}

/*
 * Switch KFENCE on at run time, as writing its sample_interval does on a
 * kernel that booted with it off (Debian's default): the pool is
 * allocated late, and must be mapped with pages.
 */
static void kfence_late(void)
{
	const char *p = "/sys/module/kfence/parameters/sample_interval";

	if (access(p, F_OK))
		return;
	bench("kfence");
	linear_map("kfence-before");
	write_file(p, "100");
	bench("kfence");
	linear_map("kfence-after");
}

static void selftest(const char *path)
{
	pid_t pid;
	int status;

	printf("@@selftest-begin %s\n", path);
	fflush(stdout);
	pid = fork();
	if (!pid) {
		execl(path, path, (char *)NULL);
		printf("@@error exec %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("@@selftest-end %s exit=%d\n", path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	fflush(stdout);
}

static void benchmarks(void)
{
	static const int sizes[] = { 1, 16, 512, 4096 };
	static const int threads[] = { 1, 2, 4 };
	int reps = quick ? 1 : 5, iters = quick ? 3 : 8;
	int i, t, rep, warm, shared;

	phase("start");
	bench("tables");
	/* a fresh area each time: where its pages and their aliases lie varies */
	for (i = 0; i < 4; i++)
		for (rep = 0; rep < (quick ? 1 : 3); rep++)
			bench("cost %d %d", sizes[i], iters);
	phase("cost");
	for (rep = 0; rep < (quick ? 1 : 5); rep++)
		bench("steps %d", 400);
	phase("steps");
	bench("huge 2 %d", quick ? 2 : 11);
	phase("huge2");
	bench("huge 64 %d", quick ? 2 : 11);
	phase("huge64");
	bench("split %d", quick ? 1 : 3);
	phase("split");
	for (rep = 0; rep < reps; rep++)
		for (warm = 1; warm >= 0; warm--)
			for (shared = 1; shared >= 0; shared--)
				for (t = 0; t < 3; t++)
					bench("tput %s %s %d %d", warm ? "warm" : "cold",
					      shared ? "shared" : "separate", threads[t],
					      warm ? 20 : 1);
	bench("reset");
	phase("tput");
	secretmem(quick ? 2 : 7, 4096);
	selftest("/memfd_secret");
	phase("secretmem");
	modules(quick ? 2 : 7, 20);
	phase("modules");
	bpf_loads(quick ? 2 : 7, 200);
	phase("bpf");
	bench("tables");
}

int main(void)
{
	FILE *f;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);

	f = fopen("/proc/cmdline", "r");
	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = 0;
		fclose(f);
	}
	quick = !!strstr(cmdline, "demo.quick=1");
	printf("@@cmdline %s", cmdline);

	if (strstr(cmdline, "demo.mode=steps")) {
		/* where the time of one single-page change goes, alone */
		int rep;

		for (rep = 0; rep < 9; rep++)
			bench("steps %d", 400);
		printf("@@done\n");
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	if (strstr(cmdline, "demo.mode=bpf")) {
		bpf_exp(7, 200);
		printf("@@done\n");
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	if (strstr(cmdline, "demo.mode=micro")) {
		/* one thread, pages already split: the per-call cost alone */
		int rep;

		for (rep = 0; rep < 7; rep++)
			bench("tput warm separate 1 100");
		for (rep = 0; rep < 7; rep++)
			bench("cost 1 101");
		printf("@@done\n");
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	linear_map("boot");
	if (strstr(cmdline, "demo.mode=full")) {
		benchmarks();
		linear_map("after");
		phase("after");
		kfence_late();
		phase("kfence");
	}
	printf("@@done\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
