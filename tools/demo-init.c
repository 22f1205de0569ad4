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
 * demo.mode=single the single-thread benchmarks and clients alone, for a
 *                 boot with one vCPU (make demo boots it with -smp 1): TCG
 *                 emulates a broadcast TLBI by stopping every vCPU, and
 *                 with four that costs and varies more than the code does
 * demo.mode=bpf   each BPF load timed alone, by round: median, tail, total
 *                 (demo.bpfpin=1 pins the loader, demo.bpfsettle=1 waits
 *                 between rounds; the experiment behind the pinned loads)
 * demo.toggle=1   (demo.mode=single) vm.linear_map_collapse switched on
 *                 and off between the pairs samples, then between secretmem
 *                 rounds, before the rest of the suite; demo.toggle=2 the
 *                 toggled parts alone (make demo's toggle boots: the rest
 *                 of their suite went unused)
 * demo.quick=1    fewer repetitions (the smoke run of make check)
 * demo.maps=0     (demo.mode=full) the benchmarks without the linear map's
 *                 walks and KFENCE: the later boots of make demo
 * demo.settle=N   (demo.mode=single) sleep N seconds before each part, so
 *                 that what the part before left to workers and timers
 *                 (frees, vmap purges, the collapse worker) ends before
 *                 the clock starts; make demo's boots under QEMU -icount
 *                 take it, where a sleep costs no host time
 *
 * make lifecycle (scripts/lifecycle.sh) boots the same /init in these modes;
 * each check prints "@@life NAME ok" or "@@life NAME FAIL":
 * demo.mode=hibernate  split and change the linear map (test_module loaded,
 *                 a BPF program, "life prepare" of the bench file), fill
 *                 64 MiB with a pattern, swap on /dev/vda and hibernate;
 *                 in the restored image: the pattern, "life check", and the
 *                 linear map as ptdump printed it before
 * demo.mode=resume     restore the image on /dev/vda (or say there is none)
 * demo.mode=kexec      the same changes, then kexec_file_load() this kernel
 *                 (/Image, /initrd2.cpio) and reboot into it
 * demo.mode=kexecd     the kernel kexec started: "life walk", done
 * demo.mode=kdump      the same changes and a page of pattern, then load the
 *                 crash kernel (KEXEC_FILE_ON_CRASH) and crash (sysrq c)
 * demo.mode=vmcore     the crash kernel: /proc/vmcore's ELF headers, the
 *                 pattern page at demo.pa, read throughput, "life walk"
 * demo.mode=hotplug    (with mem= and memhp_default_state=offline) the same
 *                 changes, then the bench file's "life hotplug": hot-add
 *                 what mem= left out, remove a block from its middle, then
 *                 the rest; DirectMap (where the kernel has it) follows
 */
#define _GNU_SOURCE
#include <elf.h>
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
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#ifndef __NR_finit_module
#define __NR_finit_module 273
#endif
#ifndef __NR_delete_module
#define __NR_delete_module 106
#endif
#ifndef __NR_kexec_file_load
#define __NR_kexec_file_load 294
#endif
#ifndef KEXEC_FILE_ON_CRASH
#define KEXEC_FILE_ON_CRASH 2
#endif
#ifndef __NR_memfd_secret
#define __NR_memfd_secret 447
#endif

#define BENCH "/sys/kernel/debug/pageattr_bench"

static char cmdline[1024];
static int quick;
static void speed_ref(void);

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

/*
 * What the collapse of the linear map did (patched kernels): its vmstat
 * counters and the worker's own figures from debugfs.
 */
static void collapse_stats(const char *when)
{
	printf("@@collapse-begin %s\n", when);
	/* base 6.12 has none of it */
	if (!access("/sys/kernel/debug/linear_map_collapse", R_OK))
		cat("/sys/kernel/debug/linear_map_collapse", NULL, NULL);
	fflush(stdout);
	{
		FILE *f = fopen("/proc/vmstat", "r");
		char line[128];

		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "direct_map_", 11))
				fputs(line, stdout);
		if (f)
			fclose(f);
	}
	printf("@@collapse-end %s\n", when);
	fflush(stdout);
}

static char result[256 * 1024], lines[sizeof(result)];

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

	speed_ref();
	bench_quiet(cmd);
	/* result[] stays whole for the caller to look into */
	memcpy(lines, result, sizeof(lines));
	for (line = strtok_r(lines, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
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
 * The host's speed, beside each one-vCPU sample (demo.mode=single). The
 * hosts of this workbench run a whole boot, and at times part of one, at
 * one of two speeds about 1.7x apart, whatever the kernel; between boots
 * that swamps what the kernels differ by. So a fixed piece of work that
 * neither kernel's code decides is timed right before every sample: user
 * code alone (loads and stores over 64 KiB, through TCG's soft TLB) and
 * getppid() (into the kernel and back, on code the series does not touch).
 * The report can then compare two kernels' samples taken at the same host
 * speed (tools/bench.py, report.py).
 */
static int with_ref;

static void speed_ref(void)
{
	static unsigned int buf[16384];
	const struct sched_param fifo = { .sched_priority = 1 }, other = { 0 };
	volatile unsigned int *b = buf;
	unsigned long long t0, t1, t2;
	unsigned int x = 1, i;

	if (!with_ref)
		return;
	/*
	 * Above every SCHED_NORMAL task while it runs: with one vCPU, the
	 * work a round of module or BPF loads leaves to kworkers (frees
	 * after RCU, the init sections' vfree) otherwise ran inside the
	 * reference and made it 1.3-1.7x slower than beside the secretmem
	 * rounds of the same boot, so those rounds were taken for the
	 * host's slow speed. The deferred work now waits for the next
	 * round, which it slowed before as well.
	 */
	sched_setscheduler(0, SCHED_FIFO, &fifo);
	t0 = now_ns();
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b[x & 16383] += i;
	}
	t1 = now_ns();
	for (i = 0; i < 2000; i++)
		syscall(__NR_getppid);
	t2 = now_ns();
	sched_setscheduler(0, SCHED_OTHER, &other);
	printf("@@ref user_ns=%llu sys_ns=%llu\n", t1 - t0, t2 - t1);
}

/* The collapse worker's CPU time so far (debugfs), or -1 (base 6.12). */
static long long worker_cpu_us(void)
{
	FILE *f = fopen("/sys/kernel/debug/linear_map_collapse", "r");
	char line[128];
	long long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "cpu_us: %lld", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/*
 * A one-thread set_direct_map_* pairs sample, and how much CPU time the
 * collapse worker took while it ran: with one vCPU that time is the
 * sample's, whatever queued the pass.
 */
static void tput_single(const char *kind)
{
	long long w0 = worker_cpu_us(), w1;
	unsigned long long t0 = now_ns(), t1;

	bench("tput warm %s 1 20", kind);
	t1 = now_ns();
	w1 = worker_cpu_us();
	if (w0 >= 0 && w1 >= 0)
		printf("@@worker tput-%s cpu_us=%lld wall_us=%llu\n", kind, w1 - w0,
		       (t1 - t0) / 1000);
	fflush(stdout);
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

/* demo.settle=N: let the background work of the part before end */
static void settle(void)
{
	const char *q = strstr(cmdline, "demo.settle=");

	if (q && atoi(q + 12) > 0) {
		tcdrain(STDOUT_FILENO);
		sleep(atoi(q + 12));
	}
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
		long before;
		unsigned long long t;
		char *p;
		int fd;

		speed_ref();
		before = tables();
		fd = syscall(__NR_memfd_secret, 0);
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
	speed_ref();
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
		unsigned long long t;

		speed_ref();
		t = now_ns();
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
	speed_ref();
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
		unsigned long long t;

		speed_ref();
		t = now_ns();

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
	speed_ref();
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

/* --- make lifecycle: hibernation, kexec and kdump ---------------------- */

static int life_fails;

static void life(const char *what, int ok)
{
	printf("@@life %s %s\n", what, ok ? "ok" : "FAIL");
	fflush(stdout);
	life_fails += !ok;
}

static void life_end(void)
{
	printf("@@life-result %s\n@@done\n", life_fails ? "FAIL" : "ok");
	fflush(stdout);
	/* the console's output queue, out before the power goes */
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(RB_POWER_OFF);
}

/* A whole file in a string of the heap (NULL if it cannot be read). */
static char *slurp(const char *path)
{
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap);
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || !buf) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *more = realloc(buf, cap *= 2);

			if (!more)
				break;
			buf = more;
		}
	}
	close(fd);
	buf[len] = 0;
	return buf;
}

/* The linear map as the kernel's ptdump prints it. */
static char *ptdump_text(void)
{
	char *all = slurp("/sys/kernel/debug/pageattr_bench_linear_map"), *b, *e;

	if (!all)
		return NULL;
	b = strstr(all, "Linear Mapping start");
	e = b ? strstr(b, "Linear Mapping end") : NULL;
	if (!e) {
		free(all);
		return NULL;
	}
	e[0] = 0;
	memmove(all, b, strlen(b) + 1);
	return all;
}

/* Print the lines of a that b lacks, at most max of them. */
static void lines_missing(const char *tag, char *a, const char *b, int max)
{
	char *line, *save;

	for (line = strtok_r(a, "\n", &save); line && max; line = strtok_r(NULL, "\n", &save))
		if (!strstr(b, line)) {
			printf("@@life-diff %s %s\n", tag, line);
			max--;
		}
}

static unsigned long long pat_word(int obj, unsigned long i)
{
	return 0x5eed5eed00000000ULL ^ ((unsigned long long)obj << 40) ^
	       (i * 0x9e3779b97f4a7c15ULL);
}

static unsigned long long *pat;
static size_t pat_words;

static void pattern_fill(size_t bytes)
{
	size_t i;

	pat = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pat == MAP_FAILED) {
		pat = NULL;
		return;
	}
	pat_words = bytes / sizeof(*pat);
	for (i = 0; i < pat_words; i++)
		pat[i] = pat_word(1, i);
}

static int pattern_same(void)
{
	size_t i;

	for (i = 0; pat && i < pat_words; i++)
		if (pat[i] != pat_word(1, i))
			return 0;
	return !!pat;
}

/*
 * What each lifecycle test starts from: the linear map split and changed.
 * test_module stays loaded (its text read-only, with its linear alias), a
 * BPF program stays loaded (its JIT pack), and the bench file's "life
 * prepare" makes a vmalloc area read-only and takes pages out of the
 * linear map. "@@life prepare" says whether all of it held.
 */
static void life_setup(void)
{
	int fd, ok;

	write_file("/proc/sys/kernel/printk", "1");
	fd = open("/test_module.ko", O_RDONLY);
	ok = fd >= 0 && !syscall(__NR_finit_module, fd, "", 0);
	if (fd >= 0)
		close(fd);
	write_file("/proc/sys/kernel/printk", "7");
	life("module-loaded", ok);
	life("bpf-loaded", bpf_load_one() >= 0);	/* the fd stays open */
	bench("life prepare");
	life("prepare", strstr(result, "ret=0 ") && strstr(result, "ro_faults=1"));
	bench("life walk");
	life("walk-before", !!strstr(result, "wrong_pa=0 "));
}

/* /dev/NAME from sysfs; its "major:minor" in majmin. */
static int blockdev(const char *name, char *majmin, size_t len)
{
	char path[64], *d = NULL;
	unsigned int ma, mi;

	snprintf(path, sizeof(path), "/sys/block/%s/dev", name);
	d = slurp(path);
	if (!d || sscanf(d, "%u:%u", &ma, &mi) != 2) {
		printf("@@error no block device %s\n", name);
		free(d);
		return -1;
	}
	free(d);
	snprintf(majmin, len, "%u:%u", ma, mi);
	snprintf(path, sizeof(path), "/dev/%s", name);
	if (mknod(path, S_IFBLK | 0600, makedev(ma, mi)) && errno != EEXIST) {
		printf("@@error mknod %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static void hibernate(void)
{
	char dev[32], *before, *after;
	int fd, ok;

	life_setup();
	pattern_fill(64 << 20);
	life("pattern-written", !!pat);
	if (blockdev("vda", dev, sizeof(dev)))
		life_end();
	/* the swap on /dev/vda (mkswap'd by the host) is where the image goes */
	write_file("/sys/power/resume", dev);
	life("swapon", !swapon("/dev/vda", 0));
	write_file("/sys/power/disk", "shutdown");
	/*
	 * The collapse worker (patched kernels) runs a second after a page
	 * goes back to its defaults: let the pass that the changes above
	 * queued finish, or it collapses a table after this picture of the
	 * linear map and before the one after resume (seen once in CI).
	 */
	sleep(3);
	before = ptdump_text();
	life("ptdump-before", !!before);
	printf("@@life hibernating\n");
	fflush(stdout);
	sync();
	fd = open("/sys/power/state", O_WRONLY);
	ok = fd >= 0 && write(fd, "disk", 4) == 4;
	if (fd >= 0)
		close(fd);
	/* here only in the restored image, or if hibernation failed */
	life("resumed", ok);
	if (!ok)
		printf("@@error hibernation: %s\n", strerror(errno));
	life("pattern", pattern_same());
	bench("life check");
	life("state", !!strstr(result, "bad_ro=0 bad_invalid=0") &&
		      !!strstr(result, "wrong_pa=0 "));
	after = ptdump_text();
	ok = before && after && !strcmp(before, after);
	life("ptdump-same", ok);
	if (!ok && before && after) {
		char *b = strdup(before);

		lines_missing("before-only", b, after, 20);
		lines_missing("after-only", after, before, 20);
	}
	printf("@@ptdump-begin resumed\n%s@@ptdump-end resumed\n", after ? after : "");
	life_end();
}

static void resume(void)
{
	char dev[32];

	if (!blockdev("vda", dev, sizeof(dev))) {
		printf("@@life restoring\n");
		fflush(stdout);
		/* returns only when there is no image to restore */
		write_file("/sys/power/resume", dev);
	}
	life("image-found", 0);
	life_end();
}

/* The next kernel's command line: this one's, mode replaced, some dropped. */
static void next_cmdline(char *out, size_t len, const char *mode, const char *extra)
{
	char copy[1024], *w, *save;
	size_t n = 0;

	snprintf(copy, sizeof(copy), "%s", cmdline);
	for (w = strtok_r(copy, " \n", &save); w; w = strtok_r(NULL, " \n", &save)) {
		if (!strncmp(w, "demo.mode=", 10) || !strncmp(w, "crashkernel=", 12))
			continue;
		n += snprintf(out + n, len - n, "%s ", w);
	}
	snprintf(out + n, len - n, "demo.mode=%s %s", mode, extra);
}

static int load_next(const char *mode, const char *extra, unsigned long flags)
{
	char cmd[1100];
	int kfd = open("/Image", O_RDONLY), ifd = open("/initrd2.cpio", O_RDONLY);
	int ret;

	next_cmdline(cmd, sizeof(cmd), mode, extra);
	printf("@@life-next-cmdline %s\n", cmd);
	ret = syscall(__NR_kexec_file_load, kfd, ifd, strlen(cmd) + 1, cmd, flags);
	if (ret)
		printf("@@error kexec_file_load: %s\n", strerror(errno));
	close(kfd);
	close(ifd);
	return ret;
}

static void kexec(void)
{
	life_setup();
	life("kexec-load", !load_next("kexecd", "", 0));
	if (life_fails)
		life_end();
	printf("@@life rebooting\n");
	fflush(stdout);
	sync();
	reboot(RB_KEXEC);
	life("kexec-reboot", 0);
	life_end();
}

static void kexecd(void)
{
	life("kexec-booted", 1);
	bench("life walk");
	life("walk", !!strstr(result, "wrong_pa=0 "));
	life_end();
}

static void kdump(void)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long ent = 0, *p;
	char extra[64];
	int fd;
	long i;

	life_setup();
	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || mlock(p, page))
		life_end();
	for (i = 0; i < page / 8; i++)
		p[i] = pat_word(2, i);
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, &ent, 8, (unsigned long)p / page * 8) != 8 || !(ent >> 63)) {
		life("pagemap", 0);
		life_end();
	}
	close(fd);
	snprintf(extra, sizeof(extra), "demo.pa=0x%llx nr_cpus=1",
		 (ent & ((1ULL << 55) - 1)) * page);
	life("crash-load", !load_next("vmcore", extra, KEXEC_FILE_ON_CRASH));
	if (life_fails)
		life_end();
	printf("@@life crashing\n");
	fflush(stdout);
	sync();
	write_file("/proc/sysrq-trigger", "c");
	life("crashed", 0);
	life_end();
}

static void vmcore(void)
{
	unsigned long long pa = 0, got = 0, t, *buf;
	long page = sysconf(_SC_PAGESIZE);
	Elf64_Phdr *ph;
	Elf64_Ehdr eh;
	int fd, i, loads = 0, found = 0, note = 0;
	char *s = strstr(cmdline, "demo.pa=");

	life("crash-kernel-booted", 1);
	if (s)
		pa = strtoull(s + 8, NULL, 16);
	fd = open("/proc/vmcore", O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_phnum == 0) {
		life("vmcore-elf", 0);
		life_end();
	}
	ph = calloc(eh.e_phnum, sizeof(*ph));
	buf = malloc(1 << 20);
	if (pread(fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff) != eh.e_phnum * sizeof(*ph))
		life_end();
	for (i = 0; i < eh.e_phnum; i++) {
		if (ph[i].p_type == PT_NOTE) {
			char *n = malloc(ph[i].p_filesz + 1);

			if (n && pread(fd, n, ph[i].p_filesz, ph[i].p_offset) == (ssize_t)ph[i].p_filesz) {
				n[ph[i].p_filesz] = 0;
				/* notes are NUL-padded: look for the key anywhere */
				for (size_t k = 0; k + 10 < ph[i].p_filesz; k++)
					if (!memcmp(n + k, "OSRELEASE=", 10))
						note = 1;
			}
			free(n);
		}
		if (ph[i].p_type != PT_LOAD)
			continue;
		loads++;
		if (pa >= ph[i].p_paddr && pa < ph[i].p_paddr + ph[i].p_memsz &&
		    pread(fd, buf, page, ph[i].p_offset + pa - ph[i].p_paddr) == page) {
			found = 1;
			for (long w = 0; w < page / 8; w++)
				if (buf[w] != pat_word(2, w))
					found = 0;
		}
	}
	printf("@@life-vmcore loads=%d pa=0x%llx\n", loads, pa);
	life("vmcore-elf", loads > 0);
	life("vmcore-vmcoreinfo", note);
	life("vmcore-pattern", found);
	/* read the old memory through /proc/vmcore: the first 256 MiB */
	t = now_ns();
	for (i = 0; i < eh.e_phnum && got < (256ULL << 20); i++) {
		unsigned long long off;

		if (ph[i].p_type != PT_LOAD)
			continue;
		for (off = 0; off < ph[i].p_filesz && got < (256ULL << 20); off += 1 << 20) {
			if (pread(fd, buf, 1 << 20, ph[i].p_offset + off) <= 0)
				break;
			got += 1 << 20;
		}
	}
	t = now_ns() - t;
	printf("@@life-vmcore read_mib=%llu ms=%llu\n", got >> 20, t / 1000000);
	life("vmcore-read", got == 256ULL << 20);
	close(fd);
	bench("life walk");
	life("walk", !!strstr(result, "wrong_pa=0 "));
	life_end();
}

/* The DirectMap lines of /proc/meminfo, in kB; -1 without them (6.12). */
static long long directmap_kb(void)
{
	char *m = slurp("/proc/meminfo"), *p;
	long long kb = -1;

	for (p = m; p && (p = strstr(p, "DirectMap")); p++) {
		char *c = strchr(p, ':');

		if (c)
			kb = (kb < 0 ? 0 : kb) + strtoll(c + 1, NULL, 10);
	}
	free(m);
	return kb;
}

static void hotplug(void)
{
	long long dm0, dm;
	unsigned long long size = 0, block = 0;
	char *p;

	life_setup();
	dm0 = directmap_kb();
	bench("life hotplug add");
	life("hotplug-add", !strncmp(result, "life hotplug add ret=0", 22) &&
			    !strstr(result, "@@error"));
	if ((p = strstr(result, "size=")))
		size = strtoull(p + 5, NULL, 10);
	if ((p = strstr(result, "block=")))
		block = strtoull(p + 6, NULL, 10);
	dm = directmap_kb();
	if (dm0 >= 0)
		life("directmap-added", dm - dm0 == (long long)(size >> 10));
	bench("life walk");
	life("walk-added", !!strstr(result, "wrong_pa=0 "));
	bench("life hotplug remove");
	life("hotplug-remove", !strncmp(result, "life hotplug remove ret=0", 25) &&
			       !!strstr(result, "still_mapped=0 bad_pieces=0 below=1 above=1"));
	dm = directmap_kb();
	if (dm0 >= 0)
		life("directmap-removed", dm - dm0 == (long long)((size - block) >> 10));
	bench("life walk");
	life("walk-removed", !!strstr(result, "wrong_pa=0 "));
	bench("life hotplug undo");
	life("hotplug-undo", !!strstr(result, "left=0"));
	if (dm0 >= 0)
		life("directmap-undone", directmap_kb() == dm0);
	bench("life check");
	life("state", !!strstr(result, "bad_ro=0 bad_invalid=0") &&
		      !!strstr(result, "wrong_pa=0 "));
	life_end();
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

	if (strstr(cmdline, "demo.mode=hibernate"))
		hibernate();
	if (strstr(cmdline, "demo.mode=resume"))
		resume();
	if (strstr(cmdline, "demo.mode=kexecd"))
		kexecd();
	if (strstr(cmdline, "demo.mode=kexec"))
		kexec();
	if (strstr(cmdline, "demo.mode=kdump"))
		kdump();
	if (strstr(cmdline, "demo.mode=vmcore"))
		vmcore();
	if (strstr(cmdline, "demo.mode=hotplug"))
		hotplug();
	if (strstr(cmdline, "demo.mode=steps")) {
		/* where the time of one single-page change goes, alone */
		int rep;

		with_ref = 1;
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
	if (strstr(cmdline, "demo.mode=single")) {
		/* demo.toggle=2: the toggled parts alone (make demo) */
		int only_toggle = !!strstr(cmdline, "demo.toggle=2");
		int rep;

		with_ref = 1;
		settle();
		phase("start");
		for (rep = 0; rep < 3 && !only_toggle; rep++) {
			bench("cost 1 51");
			bench("cost 16 51");
			bench("cost 512 8");
			bench("cost 4096 8");
		}
		phase("cost");
		settle();
		/*
		 * demo.offtput=1 (an experiment): collapse switched off here, so
		 * that the pairs run on the map collapse left, without notes
		 * or passes of the worker
		 */
		if (strstr(cmdline, "demo.offtput=1"))
			write_file("/proc/sys/vm/linear_map_collapse", "0");
		/*
		 * demo.toggle=1 (make demo, scripts/toggle.sh): collapse
		 * switched on and off between the pairs samples of one boot,
		 * in the order on, off, off, on, ..., so that both states
		 * share whatever speed the host gives this boot; then between
		 * secretmem rounds likewise, after a first round that may split
		 */
		if (strstr(cmdline, "demo.toggle=1") || only_toggle) {
			static const char order[] = "1001";

			for (rep = 0; rep < 16; rep++) {
				char v[2] = { order[rep % 4], 0 };

				write_file("/proc/sys/vm/linear_map_collapse", v);
				printf("@@state collapse=%s\n", v);
				tput_single("shared");
				tput_single("separate");
			}
			write_file("/proc/sys/vm/linear_map_collapse", "1");
			printf("@@state done\n");
			secretmem(1, 4096);
			for (rep = 0; rep < 32; rep++) {
				char v[2] = { order[rep % 4], 0 };

				write_file("/proc/sys/vm/linear_map_collapse", v);
				printf("@@state collapse=%s\n", v);
				secretmem(1, 4096);
			}
			write_file("/proc/sys/vm/linear_map_collapse", "1");
			printf("@@state done\n");
		}
		if (only_toggle) {
			printf("@@done\n");
			fflush(stdout);
			reboot(RB_POWER_OFF);
		}
		for (rep = 0; rep < 3; rep++) {
			tput_single("shared");
			tput_single("separate");
		}
		bench("reset");
		phase("tput");
		/*
		 * more rounds than the four-vCPU boots take: the targets are
		 * judged on these, and BPF rounds vary by about 15%
		 */
		settle();
		secretmem(11, 4096);
		phase("secretmem");
		settle();
		modules(7, 20);
		phase("modules");
		settle();
		bpf_loads(21, 200);
		phase("bpf");
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
	/*
	 * demo.maps=0 (make demo's later boots of a kernel): the benchmarks
	 * alone; the report reads the linear map and KFENCE from a kernel's
	 * first boot, and their walks of a map of pages take 10 s or more
	 */
	if (strstr(cmdline, "demo.maps=0")) {
		if (strstr(cmdline, "demo.mode=full"))
			benchmarks();
		printf("@@done\n");
		fflush(stdout);
		reboot(RB_POWER_OFF);
	}
	linear_map("boot");
	if (strstr(cmdline, "demo.mode=full")) {
		benchmarks();
		linear_map("after");
		collapse_stats("after");
		/* the collapse worker runs a second after the last change */
		sleep(3);
		linear_map("healed");
		collapse_stats("healed");
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
