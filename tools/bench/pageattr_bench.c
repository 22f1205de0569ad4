// SPDX-License-Identifier: GPL-2.0
/*
 * Workbench only, not part of the series: benchmarks of kernel memory
 * permission changes for `make demo`. scripts/demo.sh copies this file into
 * both the base and the patched tree as lib/pageattr_bench.c, so both
 * kernels run the same code. It uses only interfaces that 6.12 has.
 *
 * /sys/kernel/debug/pageattr_bench: write one command, then read its
 * result (one line per sample, "key=value" words):
 *
 *   cost NPAGES ITERS       set_memory_ro + set_memory_rw on a vmalloc area
 *   huge MIB ITERS          the same on a vmalloc_huge() area
 *   split SAMPLES           split one page out of linear map leaves by kind
 *   tput warm|cold shared|separate THREADS ROUNDS
 *                           set_direct_map_invalid/default throughput
 *   reset                   free the blocks cold tput runs held
 *   tables                  page-table pages under the linear map
 *   kfence                  the leaves that map the KFENCE pool, if any
 *   life prepare            state for make lifecycle to carry through
 *                           hibernation: a read-only vmalloc area (and its
 *                           linear alias) and pages out of the linear map,
 *                           each filled with a known pattern
 *   life check              that state as prepared: patterns intact,
 *                           read-only pages still fault on a write, pages
 *                           out of the linear map still fault on a read;
 *                           and the walk below
 *   life walk               every linear-map entry maps its own physical
 *                           address; leaves by kind
 *   life hotplug add|remove|undo
 *                           hot-add the RAM mem= left out (as movable),
 *                           write 64K in each memory block but the middle
 *                           one; take the middle block out (both sides stay
 *                           mapped and keep what was written, the block is
 *                           gone from the linear map); remove the rest
 *   steps ITERS             where the time of one single-page change goes,
 *                           on one page whose leaf is split already: the
 *                           whole set_direct_map_invalid + default pair;
 *                           the same pair done as 6.12 does it
 *                           (apply_to_page_range()), in this kernel; the
 *                           TLB flush of one page; and, on the patched
 *                           kernel, the leaf check and the walk alone
 */
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/init.h>
#include <linux/kfence.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/memblock.h>
#include <linux/memory.h>
#include <linux/memory_hotplug.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pgtable.h>
#include <linux/seq_file.h>
#include <linux/set_memory.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <asm/ptdump.h>
#include <asm/mmu_context.h>
#include <asm/tlbflush.h>

#define OUT_SIZE	(256 * 1024)

static DEFINE_MUTEX(bench_lock);
static char *out;
static size_t out_len;

static __printf(1, 2) void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_len += vscnprintf(out + out_len, OUT_SIZE - out_len, fmt, ap);
	va_end(ap);
}

/* --- reading the kernel page tables ----------------------------------- */

enum kind { K_NONE, K_PTE, K_CONT_PTE, K_PMD, K_CONT_PMD, K_PUD };
static const char *const kind_name[] = {
	"none", "PTE", "contPTE", "PMD", "contPMD", "PUD"
};

struct leaf {
	enum kind kind;
	u64 val;
	unsigned long pmd_table, pte_table;	/* table pages on the way */
};

static bool lookup(unsigned long addr, struct leaf *l)
{
	pgd_t *pgdp = pgd_offset_k(addr);
	p4d_t *p4dp;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	memset(l, 0, sizeof(*l));
	if (pgd_none(READ_ONCE(*pgdp)))
		return false;
	p4dp = p4d_offset(pgdp, addr);
	if (p4d_none(READ_ONCE(*p4dp)))
		return false;
	pudp = pud_offset(p4dp, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return false;
	if (!pud_table(pud)) {
		l->kind = K_PUD;
		l->val = pud_val(pud);
		return true;
	}
	pmdp = pmd_offset(pudp, addr);
	l->pmd_table = (unsigned long)pmdp & PAGE_MASK;
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd))
		return false;
	if (!pmd_table(pmd)) {
		l->kind = pmd_val(pmd) & PTE_CONT ? K_CONT_PMD : K_PMD;
		l->val = pmd_val(pmd);
		return true;
	}
	ptep = pte_offset_kernel(pmdp, addr);
	l->pte_table = (unsigned long)ptep & PAGE_MASK;
	pte = READ_ONCE(*ptep);
	if (pte_none(pte))
		return false;
	l->kind = pte_val(pte) & PTE_CONT ? K_CONT_PTE : K_PTE;
	l->val = pte_val(pte);
	return true;
}

/* Page-table pages (PMD and PTE tables) under the linear map. */
static unsigned long linear_map_tables(void)
{
	unsigned long n = 0, last_pmd = 0, last_pte = 0, addr, stop;
	phys_addr_t start, end;
	struct leaf l;
	u64 i;

	for_each_mem_range(i, &start, &end) {
		addr = (unsigned long)__va(start);
		stop = (unsigned long)__va(end);
		while (addr < stop) {
			lookup(addr, &l);
			if (l.pmd_table && l.pmd_table != last_pmd) {
				n++;
				last_pmd = l.pmd_table;
			}
			if (l.pte_table && l.pte_table != last_pte) {
				n++;
				last_pte = l.pte_table;
			}
			addr = l.kind == K_PUD ? ALIGN(addr + 1, PUD_SIZE) :
					       ALIGN(addr + 1, PMD_SIZE);
		}
	}
	return n;
}

/* Leaves of each kind mapping [addr, addr + size), and how many are RO. */
static void count_leaves(unsigned long addr, unsigned long size,
			 unsigned long *n, unsigned long *rdonly)
{
	unsigned long end = addr + size, span;
	struct leaf l;

	memset(n, 0, sizeof(*n) * (K_PUD + 1));
	*rdonly = 0;
	while (addr < end) {
		if (!lookup(addr, &l)) {
			n[K_NONE]++;
			addr += PAGE_SIZE;
			continue;
		}
		n[l.kind]++;
		if (l.val & PTE_RDONLY)
			(*rdonly)++;
		span = l.kind == K_PUD ? PUD_SIZE :
		       l.kind >= K_PMD ? PMD_SIZE : PAGE_SIZE;
		addr = ALIGN_DOWN(addr, span) + span;
	}
}

static void emit_leaves(const char *tag, unsigned long *n)
{
	int k;

	emit(" %s=", tag);
	for (k = K_PTE; k <= K_PUD; k++)
		if (n[k])
			emit("%s:%lu,", kind_name[k], n[k]);
}

static bool can_write(void *p)
{
	char c = 0;

	return !copy_to_kernel_nofault(p, &c, 1);
}

/* --- cost: set_memory_ro + set_memory_rw ------------------------------ */

static void emit_samples(const char *tag, const u64 *ns, unsigned int n)
{
	unsigned int i;

	emit(" %s=", tag);
	for (i = 0; i < n; i++)
		emit("%llu%s", ns[i], i + 1 < n ? "," : "");
}

static int cmd_cost(unsigned long npages, unsigned int iters, bool huge)
{
	unsigned long size = npages * PAGE_SIZE, n[K_PUD + 1], rdonly;
	int ro_ret = 0, rw_ret = 0, r;
	bool faults = false, writable;
	u64 *ro, *rw, t;
	unsigned int i;
	void *p;

	ro = kcalloc(iters, sizeof(*ro), GFP_KERNEL);
	rw = kcalloc(iters, sizeof(*rw), GFP_KERNEL);
	p = huge ? vmalloc_huge(size, GFP_KERNEL) : vmalloc(size);
	if (!ro || !rw || !p) {
		emit("%s pages=%lu error=ENOMEM\n", huge ? "huge" : "cost", npages);
		goto out;
	}
	memset(p, 1, size);
	emit("%s pages=%lu", huge ? "huge" : "cost", npages);
	count_leaves((unsigned long)p, size, n, &rdonly);
	emit_leaves("leaves", n);

	for (i = 0; i < iters; i++) {
		t = ktime_get_ns();
		r = set_memory_ro((unsigned long)p, npages);
		ro[i] = ktime_get_ns() - t;
		ro_ret = ro_ret ?: r;
		if (!i) {
			/* what the MMU says, not what the call returned */
			faults = !can_write(p) && !can_write(p + size - 1);
			count_leaves((unsigned long)p, size, n, &rdonly);
		}
		t = ktime_get_ns();
		r = set_memory_rw((unsigned long)p, npages);
		rw[i] = ktime_get_ns() - t;
		rw_ret = rw_ret ?: r;
		/* PREEMPT_NONE: 64 MiB calls take a while under TCG */
		cond_resched();
	}
	writable = can_write(p) && can_write(p + size - 1);
	emit_leaves("leaves_ro", n);
	emit(" ro_leaves=%lu ro_ret=%d rw_ret=%d writes_fault_when_ro=%d writable_after=%d",
	     rdonly, ro_ret, rw_ret, faults, writable);
	emit_samples("ro_ns", ro, iters);
	emit_samples("rw_ns", rw, iters);
	emit("\n");
	/* Never free memory that may still be read-only somewhere: leak it. */
	if (!writable || rw_ret) {
		emit("cost leaked pages=%lu\n", npages);
		p = NULL;
	}
out:
	vfree(p);
	kfree(ro);
	kfree(rw);
	return 0;
}

/* --- split: one page out of a linear map leaf of each kind ------------- */

/*
 * Whether any leaf of kind @k maps the linear map: when none does (6.12, or
 * arm64.nobbml2), the search below would move through 2 GiB for nothing.
 */
static bool linear_map_has(enum kind k)
{
	unsigned long addr, stop, span;
	phys_addr_t start, end;
	struct leaf l;
	u64 i;

	for_each_mem_range(i, &start, &end) {
		addr = (unsigned long)__va(start);
		stop = (unsigned long)__va(end);
		while (addr < stop) {
			if (!lookup(addr, &l)) {
				addr += PAGE_SIZE;
				continue;
			}
			if (l.kind == k)
				return true;
			span = l.kind == K_PUD ? PUD_SIZE :
			       l.kind >= K_PMD ? PMD_SIZE : CONT_PTE_SIZE;
			addr = ALIGN_DOWN(addr, span) + span;
		}
	}
	return false;
}

#define MAX_CHUNKS	1024

/*
 * Allocate chunks of @order until one sits in a leaf of kind @k; hold the
 * others meanwhile so the search moves through memory. Returns the chunk
 * (freed by the caller) or NULL.
 */
static struct page *find_chunk(enum kind k, unsigned int order)
{
	struct page **held, *page, *found = NULL;
	unsigned int nr = 0;
	struct leaf l;

	held = kcalloc(MAX_CHUNKS, sizeof(*held), GFP_KERNEL);
	if (!held)
		return NULL;
	while (nr < MAX_CHUNKS && ((unsigned long)nr << (order + PAGE_SHIFT)) < SZ_2G) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, order);
		if (!page)
			break;
		if (lookup((unsigned long)page_address(page), &l) && l.kind == k) {
			found = page;
			break;
		}
		held[nr++] = page;
	}
	while (nr)
		__free_pages(held[--nr], order);
	kfree(held);
	return found;
}

static int cmd_split(unsigned int samples)
{
	static const enum kind kinds[] = { K_PUD, K_CONT_PMD, K_PMD, K_CONT_PTE };
	unsigned int i, s, order;

	for (i = 0; i < ARRAY_SIZE(kinds); i++) {
		enum kind k = kinds[i];
		unsigned long size = k == K_PUD ? PUD_SIZE : k == K_CONT_PMD ? CONT_PMD_SIZE :
				     k == K_PMD ? PMD_SIZE : CONT_PTE_SIZE;

		order = min_t(unsigned int, get_order(size), MAX_PAGE_ORDER);
		if (!linear_map_has(k)) {
			emit("split kind=%s found=0\n", kind_name[k]);
			continue;
		}
		for (s = 0; s < samples; s++) {
			unsigned long before, after, addr;
			struct page *chunk = find_chunk(k, order);
			u64 t, first, again;
			struct leaf l;
			int r1, r2;

			if (!chunk) {
				emit("split kind=%s found=0\n", kind_name[k]);
				break;
			}
			/* a page on no boundary of any smaller leaf */
			addr = (unsigned long)page_address(chunk) + (PAGE_SIZE << order) / 2 + PAGE_SIZE;
			before = linear_map_tables();
			t = ktime_get_ns();
			r1 = set_direct_map_invalid_noflush(virt_to_page((void *)addr));
			first = ktime_get_ns() - t;
			flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
			r2 = set_direct_map_default_noflush(virt_to_page((void *)addr));
			/* the same change again, with the leaf already split */
			t = ktime_get_ns();
			set_direct_map_invalid_noflush(virt_to_page((void *)addr));
			again = ktime_get_ns() - t;
			flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
			set_direct_map_default_noflush(virt_to_page((void *)addr));
			after = linear_map_tables();
			lookup(addr, &l);
			emit("split kind=%s found=1 ret=%d,%d first_ns=%llu again_ns=%llu new_tables=%ld now=%s\n",
			     kind_name[k], r1, r2, first, again, (long)(after - before),
			     kind_name[l.kind]);
			__free_pages(chunk, order);
		}
	}
	return 0;
}

/* --- tput: set_direct_map_* throughput on 1..N threads ---------------- */

#define TPUT_PAGES	128	/* per thread */

struct tput_thread {
	struct page *pages;	/* TPUT_PAGES pages of its own */
	unsigned int rounds;
	atomic_t *ready, *go;
	u64 start, end;
	int err;
	struct completion done;
};

static int tput_pass(struct page *pages)
{
	int i, r = 0;

	for (i = 0; i < TPUT_PAGES; i++) {
		r |= set_direct_map_invalid_noflush(pages + i);
		r |= set_direct_map_default_noflush(pages + i);
	}
	return r;
}

static int tput_fn(void *data)
{
	struct tput_thread *t = data;
	unsigned int r;

	atomic_inc(t->ready);
	/* the controller may share this CPU: let it run (PREEMPT_NONE) */
	while (!atomic_read(t->go))
		cond_resched();
	t->start = ktime_get_ns();
	for (r = 0; r < t->rounds; r++)
		t->err |= tput_pass(t->pages);
	t->end = ktime_get_ns();
	cond_resched();
	complete(&t->done);
	return 0;
}

#define TPUT_MAX	8
#define HELD_MAX	512

/* Blocks of cold runs, held so that the next cold run gets fresh memory. */
static struct page *held[HELD_MAX];
static unsigned int nr_held;

static void release_held(void)
{
	unsigned int order = min_t(unsigned int, get_order(SZ_2M), MAX_PAGE_ORDER);

	while (nr_held)
		__free_pages(held[--nr_held], order);
}

/*
 * A fresh 2M block for a cold run: one that a PMD block or larger leaf
 * still maps, if one can be found (never on 6.12, whose linear map is all
 * PTEs). Memory freed by earlier benchmarks comes back first, split.
 */
static struct page *alloc_cold_block(unsigned int order, bool *in_block)
{
	struct page *tried[64], *page = NULL;
	unsigned int n = 0;
	struct leaf l;

	*in_block = false;
	while (n < ARRAY_SIZE(tried)) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, order);
		if (!page)
			break;
		if (lookup((unsigned long)page_address(page), &l) && l.kind >= K_PMD) {
			*in_block = true;
			break;
		}
		tried[n++] = page;
		page = NULL;
	}
	/* none found: the last one tried will do */
	if (!page && n)
		page = tried[--n];
	while (n)
		__free_pages(tried[--n], order);
	return page;
}

static int cmd_tput(bool warm, bool shared, unsigned int nthreads, unsigned int rounds)
{
	unsigned int order = min_t(unsigned int, get_order(SZ_2M), MAX_PAGE_ORDER);
	struct page *block[TPUT_MAX] = {};
	struct tput_thread *t;
	atomic_t ready = ATOMIC_INIT(0), go = ATOMIC_INIT(0);
	unsigned long before, after;
	u64 start = U64_MAX, end = 0;
	unsigned int i, nblocks, in_blocks = 0;
	bool in_block;
	int err = 0;

	if (!nthreads || nthreads > min(TPUT_MAX, num_online_cpus()) ||
	    nthreads * TPUT_PAGES > (1U << order))
		return -EINVAL;
	t = kcalloc(nthreads, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;

	/*
	 * shared: all threads in one 2M block, 128 pages each;
	 * separate: one 2M block per thread. Fresh blocks every run.
	 */
	nblocks = shared ? 1 : nthreads;
	for (i = 0; i < nblocks; i++) {
		block[i] = warm ? alloc_pages(GFP_KERNEL, order) : alloc_cold_block(order, &in_block);
		in_blocks += !warm && in_block;
		if (!block[i]) {
			err = -ENOMEM;
			goto free;
		}
	}
	for (i = 0; i < nthreads; i++) {
		t[i].pages = shared ? block[0] + i * TPUT_PAGES : block[i];
		t[i].rounds = rounds;
		t[i].ready = &ready;
		t[i].go = &go;
		init_completion(&t[i].done);
		if (warm)
			t[i].err = tput_pass(t[i].pages);	/* splits, untimed */
	}

	before = linear_map_tables();
	for (i = 0; i < nthreads; i++) {
		struct task_struct *k = kthread_create(tput_fn, &t[i], "pa_tput/%u", i);

		if (IS_ERR(k)) {
			err = PTR_ERR(k);
			break;
		}
		kthread_bind(k, i);
		wake_up_process(k);
	}
	if (!err) {
		while (atomic_read(&ready) < nthreads)
			msleep(1);
		atomic_set(&go, 1);
	} else {
		/* threads that did start must not wait forever */
		atomic_set(&go, 1);
		nthreads = i;
	}
	for (i = 0; i < nthreads; i++) {
		wait_for_completion(&t[i].done);
		start = min(start, t[i].start);
		end = max(end, t[i].end);
		err = err ?: t[i].err;
	}
	after = linear_map_tables();
	if (nthreads)
		emit("tput mode=%s layout=%s threads=%u ops=%u ns=%llu new_tables=%ld blocks=%u in_leaves=%u ret=%d\n",
		     warm ? "warm" : "cold", shared ? "shared" : "separate", nthreads,
		     nthreads * rounds * TPUT_PAGES, end - start, (long)(after - before),
		     nblocks, in_blocks, err);
free:
	/* fresh memory for the next cold run: hold cold blocks until "reset" */
	for (i = 0; i < nblocks; i++) {
		if (!block[i])
			continue;
		if (err)	/* pages may be left invalid: never free them */
			continue;
		if (!warm && nr_held < HELD_MAX)
			held[nr_held++] = block[i];
		else
			__free_pages(block[i], order);
	}
	kfree(t);
	return err;
}

/* --- steps: the parts of a single-page change ------------------------- */

struct steps_data {
	pteval_t set, clear;
};

/* 6.12's change_page_range(), for apply_to_page_range() */
static int steps_pte(pte_t *ptep, unsigned long addr, void *data)
{
	struct steps_data *d = data;
	pte_t pte = __ptep_get(ptep);

	__set_pte(ptep, __pte((pte_val(pte) & ~d->clear) | d->set));
	return 0;
}

#define STEPS_MAX	1000

static int cmd_steps(unsigned int iters)
{
	struct steps_data inval = { 0, PTE_VALID }, dflt = { PTE_VALID | PTE_WRITE, PTE_RDONLY };
	unsigned long addr, i;
	struct page *page;
	u64 t[8] = {}, t0;
	void *area;
	int r = 0;

	page = alloc_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	area = vmalloc(PAGE_SIZE);
	addr = (unsigned long)page_address(page);
	/* split its leaf, untimed */
	r |= set_direct_map_invalid_noflush(page);
	r |= set_direct_map_default_noflush(page);
	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);

	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		r |= set_direct_map_invalid_noflush(page);
		r |= set_direct_map_default_noflush(page);
	}
	t[0] = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		r |= apply_to_page_range(&init_mm, addr, PAGE_SIZE, steps_pte, &inval);
		r |= apply_to_page_range(&init_mm, addr, PAGE_SIZE, steps_pte, &dflt);
	}
	t[1] = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++)
		flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
	t[2] = ktime_get_ns() - t0;
#ifdef KERNEL_LEAF_PTE	/* the series' walker */
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		r |= kernel_range_cuts_leaf(addr, addr + PAGE_SIZE);
		r |= kernel_range_cuts_leaf(addr, addr + PAGE_SIZE);
	}
	t[3] = ktime_get_ns() - t0;
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		struct kernel_leaf kl;

		r |= kernel_leaf_walk(addr, KERNEL_LEAF_PTE, &kl) != KERNEL_LEAF_PTE;
		r |= kernel_leaf_walk(addr, KERNEL_LEAF_PTE, &kl) != KERNEL_LEAF_PTE;
	}
	t[4] = ktime_get_ns() - t0;
#endif
	/*
	 * set_memory_ro + set_memory_rw on a one-page vmalloc area, and the
	 * part of it that is neither the kernel's nor the series' code of
	 * the change: vm_unmap_aliases(), which both call once a change
	 */
	if (area) {
		t0 = ktime_get_ns();
		for (i = 0; i < iters; i++) {
			r |= set_memory_ro((unsigned long)area, 1);
			r |= set_memory_rw((unsigned long)area, 1);
		}
		t[6] = ktime_get_ns() - t0;
		t0 = ktime_get_ns();
		for (i = 0; i < iters; i++) {
			vm_unmap_aliases();
			vm_unmap_aliases();
		}
		t[7] = ktime_get_ns() - t0;
	}
	/* a secretmem fault and its release: out, flush, back */
	t0 = ktime_get_ns();
	for (i = 0; i < iters; i++) {
		r |= set_direct_map_invalid_noflush(page);
		flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
		r |= set_direct_map_default_noflush(page);
	}
	t[5] = ktime_get_ns() - t0;
	flush_tlb_kernel_range(addr, addr + PAGE_SIZE);
	__free_page(page);
	vfree(area);
	emit("steps iters=%u pair_ns=%llu apply_pair_ns=%llu flush_ns=%llu check_pair_ns=%llu walk_pair_ns=%llu secret_ns=%llu ro_rw_ns=%llu unmap_aliases_ns=%llu ret=%d\n",
	     iters, t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], r);
	return 0;
}

/* --- lifecycle: what hibernation, kexec and kdump must carry ---------- */

#define LIFE_RO		16	/* pages of the read-only vmalloc area */
#define LIFE_INV	8	/* pages taken out of the linear map */

static void *life_ro;
static struct page *life_inv[LIFE_INV];
static bool life_ro_alias;	/* the linear alias faulted on a write at prepare */

static u64 life_word(unsigned int obj, unsigned long i)
{
	return 0x11fec1c1e0000000ULL ^ ((u64)obj << 48) ^ (i * 0x9e3779b97f4a7c15ULL);
}

static void life_fill(void *p, unsigned int obj)
{
	u64 *w = p;
	unsigned long i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
		w[i] = life_word(obj, i);
}

static bool life_same(const void *p, unsigned int obj)
{
	const u64 *w = p;
	unsigned long i;

	for (i = 0; i < PAGE_SIZE / sizeof(u64); i++)
		if (w[i] != life_word(obj, i))
			return false;
	return true;
}

/* A write of the value already there: does it fault? */
static bool write_faults(void *addr)
{
	u64 v;

	if (copy_from_kernel_nofault(&v, addr, sizeof(v)))
		return true;
	return copy_to_kernel_nofault(addr, &v, sizeof(v)) != 0;
}

/*
 * Every linear-map entry (valid or not) maps its own physical address;
 * valid leaves counted by kind. Returns the entries that do not.
 */
static unsigned long life_walk(void)
{
	unsigned long n[K_PUD + 1] = {}, bad = 0, addr, stop, size;
	phys_addr_t start, end, pa;
	struct leaf l;
	u64 i;

	for_each_mem_range(i, &start, &end) {
		addr = (unsigned long)__va(start);
		stop = (unsigned long)__va(end);
		while (addr < stop) {
			if (!lookup(addr, &l)) {
				addr = ALIGN(addr + 1, PAGE_SIZE);
				continue;
			}
			switch (l.kind) {
			case K_PUD:
				size = PUD_SIZE;
				pa = __pud_to_phys(__pud(l.val));
				break;
			case K_PMD:
			case K_CONT_PMD:
				size = PMD_SIZE;
				pa = __pmd_to_phys(__pmd(l.val));
				break;
			default:
				size = PAGE_SIZE;
				pa = __pte_to_phys(__pte(l.val));
				break;
			}
			if (pa != __pa(addr & ~(size - 1)))
				bad++;
			if (l.val & PTE_VALID)
				n[l.kind]++;
			addr = ALIGN(addr + 1, size);
		}
	}
	emit("life walk wrong_pa=%lu", bad);
	emit_leaves("leaves", n);
	emit("\n");
	return bad;
}

static int life_prepare(void)
{
	unsigned long i;
	int ret = 0;

	if (life_ro)
		return -EBUSY;
	life_ro = vmalloc(LIFE_RO * PAGE_SIZE);
	if (!life_ro)
		return -ENOMEM;
	for (i = 0; i < LIFE_RO; i++)
		life_fill(life_ro + i * PAGE_SIZE, i);
	ret = set_memory_ro((unsigned long)life_ro, LIFE_RO);
	for (i = 0; i < LIFE_INV && !ret; i++) {
		life_inv[i] = alloc_page(GFP_KERNEL);
		if (!life_inv[i])
			return -ENOMEM;
		life_fill(page_address(life_inv[i]), 100 + i);
		ret = set_direct_map_invalid_noflush(life_inv[i]);
		flush_tlb_kernel_range((unsigned long)page_address(life_inv[i]),
				       (unsigned long)page_address(life_inv[i]) + PAGE_SIZE);
	}
	life_ro_alias = write_faults(page_address(vmalloc_to_page(life_ro)));
	emit("life prepare ret=%d ro_pages=%d ro_faults=%d alias_faults=%d rodata_full=%d invalid_pages=%d\n",
	     ret, LIFE_RO, write_faults(life_ro), life_ro_alias, rodata_full, LIFE_INV);
	return ret;
}

/* The state life_prepare() left: how many pages differ from it. */
static int life_check(void)
{
	unsigned long bad_ro = 0, bad_inv = 0, i;
	void *p;

	if (!life_ro)
		return -ENOENT;
	for (i = 0; i < LIFE_RO; i++) {
		p = life_ro + i * PAGE_SIZE;
		if (!life_same(p, i) || !write_faults(p) ||
		    write_faults(page_address(vmalloc_to_page(p))) != life_ro_alias)
			bad_ro++;
	}
	for (i = 0; i < LIFE_INV; i++) {
		u64 v;

		if (!life_inv[i]) {
			bad_inv++;
			continue;
		}
		if (!copy_from_kernel_nofault(&v, page_address(life_inv[i]), sizeof(v)))
			bad_inv++;
		p = vmap(&life_inv[i], 1, VM_MAP, PAGE_KERNEL_RO);
		if (!p || !life_same(p, 100 + i))
			bad_inv++;
		if (p)
			vunmap(p);
	}
	emit("life check bad_ro=%lu bad_invalid=%lu\n", bad_ro, bad_inv);
	return life_walk() || bad_ro || bad_inv ? -EIO : 0;
}

#ifdef CONFIG_MEMORY_HOTREMOVE
#define LIFE_HP_PIECE	(SZ_64K >> PAGE_SHIFT)

static struct {
	u64 start, size, block, mid;
	unsigned long piece[8];		/* pfns of what is held, 64K each */
	unsigned int pieces;
	bool removed;
} life_hp;

/* What the devicetree's memory nodes describe past mem=, and may be plugged. */
static bool life_left_out(u64 *start, u64 *end)
{
	struct range plug = mhp_get_pluggable_range(true);
	u64 limit = memblock_end_of_DRAM();
	struct device_node *np;
	struct resource res;
	int i;

	for_each_node_by_type(np, "memory")
		for (i = 0; !of_address_to_resource(np, i, &res); i++) {
			if (res.end < limit)
				continue;
			*start = max3(res.start, limit, plug.start);
			*end = min_t(u64, res.end, plug.end) + 1;
			if (*start < *end) {
				of_node_put(np);
				return true;
			}
		}
	return false;
}

static int life_online_movable(struct memory_block *mem, void *unused)
{
	int ret;

	if (mem->state == MEM_ONLINE)
		return 0;
	mem->online_type = MMOP_ONLINE_MOVABLE;
	ret = device_online(&mem->dev);
	return ret < 0 ? ret : 0;
}

static bool life_readable(u64 pa, u8 want)
{
	u8 *p = __va(pa), v[2];

	if (copy_from_kernel_nofault(&v[0], p, 1) ||
	    copy_from_kernel_nofault(&v[1], p + SZ_64K - 1, 1))
		return false;
	return want ? !memchr_inv(p, want, SZ_64K) : true;
}

static int life_hotplug(const char *stage)
{
	unsigned long large = 0, span = 0, mapped = 0, bad = 0, pfn;
	u64 start, end, addr;
	struct leaf l;
	int ret = 0;

	if (!strcmp(stage, "add")) {
		if (life_hp.size)
			return -EBUSY;
		if (!life_left_out(&start, &end))
			return -ENOENT;
		life_hp.block = memory_block_size_bytes();
		life_hp.start = ALIGN(start, PUD_SIZE) + PUD_SIZE <= end ?
				ALIGN(start, PUD_SIZE) : ALIGN(start, life_hp.block);
		life_hp.size = min_t(u64, ALIGN_DOWN(end, life_hp.block) - life_hp.start,
				     8 * life_hp.block);
		if (life_hp.start >= end || life_hp.size < 3 * life_hp.block) {
			life_hp.size = 0;
			return -ENOSPC;
		}
		ret = add_memory(memory_add_physaddr_to_nid(life_hp.start), life_hp.start,
				 life_hp.size, MHP_NONE);
		if (ret) {
			life_hp.size = 0;
			return ret;
		}
		lock_device_hotplug();
		ret = walk_memory_blocks(life_hp.start, life_hp.size, NULL, life_online_movable);
		unlock_device_hotplug();
		for (addr = life_hp.start; !ret && addr < life_hp.start + life_hp.size;) {
			u64 size = PAGE_SIZE;

			if (!lookup((unsigned long)__va(addr), &l)) {
				bad++;
				addr += size;
				continue;
			}
			size = l.kind == K_PUD ? PUD_SIZE :
			       l.kind == K_PMD || l.kind == K_CONT_PMD ? PMD_SIZE : PAGE_SIZE;
			if (l.kind == K_CONT_PTE)
				size = CONT_PTE_SIZE;
			if (l.kind == K_CONT_PMD)
				size = CONT_PMD_SIZE;
			if (size > PAGE_SIZE)
				large++;
			if (ALIGN_DOWN(addr, life_hp.block) !=
			    ALIGN_DOWN(addr + size - 1, life_hp.block))
				span++;
			addr += size;
		}
		life_hp.mid = life_hp.start + life_hp.size / life_hp.block / 2 * life_hp.block;
		for (addr = life_hp.start; !ret && addr < life_hp.start + life_hp.size;
		     addr += life_hp.block) {
			if (addr == life_hp.mid || life_hp.pieces == ARRAY_SIZE(life_hp.piece))
				continue;
			pfn = PHYS_PFN(addr + life_hp.block / 2);
			if (alloc_contig_range(pfn, pfn + LIFE_HP_PIECE, MIGRATE_MOVABLE, GFP_KERNEL))
				continue;
			life_hp.piece[life_hp.pieces++] = pfn;
			memset(pfn_to_kaddr(pfn), 0x5a, SZ_64K);
		}
		emit("life hotplug add ret=%d start=%llx size=%llu block=%llu unmapped=%lu large_leaves=%lu leaves_across_blocks=%lu pieces=%u\n",
		     ret, life_hp.start, life_hp.size, life_hp.block, bad, large, span,
		     life_hp.pieces);
		return ret ?: bad || span || !life_hp.pieces ? -EIO : 0;
	}
	if (!strcmp(stage, "remove")) {
		if (!life_hp.size || life_hp.removed)
			return -ENOENT;
		ret = offline_and_remove_memory(life_hp.mid, life_hp.block);
		life_hp.removed = !ret;
		for (addr = life_hp.mid; !ret && addr < life_hp.mid + life_hp.block;
		     addr += PAGE_SIZE)
			if (lookup((unsigned long)__va(addr), &l) && (l.val & PTE_VALID))
				mapped++;
		for (pfn = 0; pfn < life_hp.pieces; pfn++)
			if (!life_readable(PFN_PHYS(life_hp.piece[pfn]), 0x5a))
				bad++;
		emit("life hotplug remove ret=%d block=%llx still_mapped=%lu bad_pieces=%lu below=%d above=%d\n",
		     ret, life_hp.mid, mapped, bad,
		     copy_from_kernel_nofault(&large, __va(life_hp.mid - 8), 8) == 0,
		     copy_from_kernel_nofault(&large, __va(life_hp.mid + life_hp.block), 8) == 0);
		if (ret)
			return ret;
		return mapped || bad ||
		       copy_from_kernel_nofault(&large, __va(life_hp.mid - 8), 8) ||
		       copy_from_kernel_nofault(&large, __va(life_hp.mid + life_hp.block), 8) ?
		       -EIO : 0;
	}
	if (!strcmp(stage, "undo")) {
		while (life_hp.pieces)
			free_contig_range(life_hp.piece[--life_hp.pieces], LIFE_HP_PIECE);
		for (addr = life_hp.start; addr < life_hp.start + life_hp.size;
		     addr += life_hp.block)
			if ((addr != life_hp.mid || !life_hp.removed) &&
			    offline_and_remove_memory(addr, life_hp.block))
				bad++;
		emit("life hotplug undo left=%lu\n", bad);
		memset(&life_hp, 0, sizeof(life_hp));
		return bad ? -EBUSY : 0;
	}
	return -EINVAL;
}
#else
static int life_hotplug(const char *stage)
{
	return -EOPNOTSUPP;
}
#endif

/* --- kfence: the leaves mapping its pool ------------------------------ */

static void cmd_kfence(void)
{
#ifdef CONFIG_KFENCE
	unsigned long n[K_PUD + 1], rdonly;

	if (__kfence_pool) {
		count_leaves((unsigned long)__kfence_pool, KFENCE_POOL_SIZE, n, &rdonly);
		emit("kfence pool=%lu", (unsigned long)KFENCE_POOL_SIZE);
		emit_leaves("leaves", n);
		emit(" tables=%lu\n", linear_map_tables());
		return;
	}
#endif
	emit("kfence pool=0 tables=%lu\n", linear_map_tables());
}

/* --- debugfs ---------------------------------------------------------- */

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	unsigned long a = 0, b = 0, c = 0;
	char buf[96], w1[16] = "", w2[16] = "";
	int ret = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;

	mutex_lock(&bench_lock);
	out_len = 0;
	out[0] = 0;
	if (sscanf(buf, "cost %lu %lu", &a, &b) == 2 && a && a <= 65536 && b && b <= 1000)
		ret = cmd_cost(a, b, false);
	else if (sscanf(buf, "huge %lu %lu", &a, &b) == 2 && a && a <= 1024 && b && b <= 1000)
		ret = cmd_cost(a * (SZ_1M / PAGE_SIZE), b, true);
	else if (sscanf(buf, "split %lu", &a) == 1 && a && a <= 16)
		ret = cmd_split(a);
	else if (sscanf(buf, "tput %15s %15s %lu %lu", w1, w2, &b, &c) == 4 &&
		 c && c <= 1000 && b <= TPUT_MAX &&
		 (!strcmp(w1, "warm") || !strcmp(w1, "cold")) &&
		 (!strcmp(w2, "shared") || !strcmp(w2, "separate")))
		ret = cmd_tput(!strcmp(w1, "warm"), !strcmp(w2, "shared"), b, c);
	else if (!strncmp(buf, "reset", 5))
		release_held();
	else if (sscanf(buf, "steps %lu", &a) == 1 && a && a <= STEPS_MAX)
		ret = cmd_steps(a);
	else if (!strncmp(buf, "life prepare", 12))
		ret = life_prepare();
	else if (!strncmp(buf, "life check", 10))
		ret = life_check();
	else if (sscanf(buf, "life hotplug %15s", w1) == 1)
		ret = life_hotplug(w1);
	else if (!strncmp(buf, "life walk", 9))
		ret = life_walk() ? -EIO : 0;
	else if (!strncmp(buf, "kfence", 6))
		cmd_kfence();
	else if (!strncmp(buf, "tables", 6))
		emit("tables linear_map=%lu\n", linear_map_tables());
	else
		ret = -EINVAL;
	mutex_unlock(&bench_lock);
	return ret ?: len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&bench_lock);
	ret = simple_read_from_buffer(ubuf, len, ppos, out, out_len);
	mutex_unlock(&bench_lock);
	return ret;
}

static const struct file_operations bench_fops = {
	.write	= bench_write,
	.read	= bench_read,
	.llseek	= default_llseek,
};

/*
 * The kernel's own ptdump of the linear map, without CONFIG_PTDUMP_DEBUGFS:
 * on 6.12, arm64 turns huge vmalloc mappings off when that is set, and the
 * vmalloc_huge() benchmark needs them. CONFIG_DEBUG_WX brings the walker.
 * The walk goes on past the linear map, through vmalloc space, so it is
 * only safe while nothing frees huge vmalloc areas: /init reads it when
 * no benchmark runs and nothing else does.
 */
static int linear_map_show(struct seq_file *m, void *v)
{
	struct addr_marker markers[] = {
		{ _PAGE_OFFSET(vabits_actual), "Linear Mapping start" },
		{ PAGE_END, "Linear Mapping end" },
		{ -1, NULL },
	};
	struct ptdump_info info = {
		.mm = &init_mm,
		.markers = markers,
		.base_addr = _PAGE_OFFSET(vabits_actual),
	};

	ptdump_walk(m, &info);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(linear_map);

static int __init pageattr_bench_init(void)
{
	out = kvzalloc(OUT_SIZE, GFP_KERNEL);
	if (!out)
		return -ENOMEM;
	debugfs_create_file("pageattr_bench", 0600, NULL, NULL, &bench_fops);
	debugfs_create_file("pageattr_bench_linear_map", 0400, NULL, NULL, &linear_map_fops);
	return 0;
}
late_initcall(pageattr_bench_init);
