// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the demo initramfs: print the linear map section of the
 * kernel's ptdump, /proc/meminfo and the command line, then power off.
 * Built statically for arm64; the host parses what it prints.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <unistd.h>

static void cat(const char *path, const char *from, const char *to)
{
	char line[512];
	int on = !from;
	FILE *f = fopen(path, "r");

	if (!f) {
		printf("@@error cannot open %s\n", path);
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

int main(void)
{
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);

	printf("@@cmdline ");
	cat("/proc/cmdline", NULL, NULL);
	printf("@@ptdump-begin\n");
	cat("/sys/kernel/debug/kernel_page_tables", "Linear Mapping start",
	    "Linear Mapping end");
	printf("@@ptdump-end\n@@meminfo-begin\n");
	cat("/proc/meminfo", NULL, NULL);
	printf("@@meminfo-end\n");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
