// SPDX-License-Identifier: GPL-2.0
/*
 * Workbench only, never part of the series: make check builds it into its
 * Debian-options kernel as lib/check_kfence_late.c.
 *
 * With "check_kfence_late" on the command line, switch KFENCE on at the
 * end of the initcalls, the way a write of
 * /sys/module/kfence/parameters/sample_interval does at run time: KFENCE
 * is built in with a sample interval of 0, so its pool is set up late,
 * from the buddy allocator, in a linear map that has blocks. KFENCE's own
 * KUnit suite, which runs after the initcalls and needs a pool, then runs
 * on that late pool.
 */
#include <linux/init.h>
#include <linux/moduleparam.h>
#include <linux/printk.h>
#include <linux/string.h>

static bool check_kfence_late;

static int __init check_kfence_late_setup(char *str)
{
	check_kfence_late = true;
	return 1;
}
__setup("check_kfence_late", check_kfence_late_setup);

static int __init check_kfence_late_init(void)
{
	const struct kernel_param *kp;
	int err = -ENOENT;

	if (!check_kfence_late)
		return 0;
	for (kp = __start___param; kp < __stop___param; kp++) {
		if (strcmp(kp->name, "kfence.sample_interval"))
			continue;
		kernel_param_lock(kp->mod);
		err = kp->ops->set("100", kp);
		kernel_param_unlock(kp->mod);
		break;
	}
	pr_info("check_kfence_late: kfence.sample_interval=100 at run time: %d\n", err);
	return 0;
}
late_initcall_sync(check_kfence_late_init);
