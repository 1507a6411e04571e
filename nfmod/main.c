// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the pktpath netfilter module.
 *
 * Foundation only: the module loads and unloads cleanly so the bench can
 * build, load and judge it. Hooks, rules and NAT arrive with their own
 * change (see the README's roadmap); until then it registers nothing.
 */
#include <linux/module.h>

static int __init pktpath_nf_init(void)
{
	pr_info("pktpath_nf: loaded (no hooks registered yet)\n");
	return 0;
}

static void __exit pktpath_nf_exit(void)
{
	pr_info("pktpath_nf: unloaded\n");
}

module_init(pktpath_nf_init);
module_exit(pktpath_nf_exit);

MODULE_DESCRIPTION("pktpath netfilter module (foundation)");
MODULE_AUTHOR("The pktpath developers");
MODULE_LICENSE("GPL");
