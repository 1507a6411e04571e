// SPDX-License-Identifier: GPL-2.0
/*
 * pktpath_nf: the pktpath netfilter module.
 *
 * Filter, mark and NAT rule chains at the five IPv4 and IPv6 hooks, per
 * network namespace, configured over the "pktpath" generic netlink family
 * (pktpath_netlink.h). This file holds the module's and the namespaces'
 * life cycle.
 */
#include <linux/module.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_nat_masquerade.h>

#include "pktpath_nf.h"

unsigned int pp_net_id __read_mostly;

static int __net_init pp_net_init(struct net *net)
{
	struct pp_net *pn = pp_net(net);
	int cpu, i;

	pn->pcnt = alloc_percpu_gfp(struct pp_policy_counters,
				    GFP_KERNEL_ACCOUNT);
	if (!pn->pcnt)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		for (i = 0; i < PP_NCHAINS; i++) {
			struct pp_policy_counters *pc = per_cpu_ptr(pn->pcnt, cpu);

			u64_stats_init(&pc->chain[i].syncp);
			u64_stats_init(&pc->malformed[i].syncp);
		}
	mutex_init(&pn->lock);
	pn->next_handle = 1;
	return 0;
}

/*
 * Unregister before the core's grace period (pre_exit), so that no hook
 * can still be reading the namespace's state when exit frees it.
 */
static void __net_exit pp_net_pre_exit(struct net *net)
{
	pp_load_abort(pp_net(net), 0, true);
	pp_net_teardown(net);
}

static void __net_exit pp_net_exit(struct net *net)
{
	struct pp_net *pn = pp_net(net);

	free_percpu(pn->pcnt);
	mutex_destroy(&pn->lock);
}

static struct pernet_operations pp_net_ops = {
	.init = pp_net_init,
	.pre_exit = pp_net_pre_exit,
	.exit = pp_net_exit,
	.id = &pp_net_id,
	.size = sizeof(struct pp_net),
};

static int __init pp_init(void)
{
	int err;

	pp_ops_init();
	err = pp_ruleset_wq_init();
	if (err)
		return err;
	/* Masquerade needs to hear of address changes to drop stale NATs. */
	err = nf_nat_masquerade_inet_register_notifiers();
	if (err)
		goto err_wq;
	err = register_pernet_subsys(&pp_net_ops);
	if (err)
		goto err_notifiers;
	/*
	 * Last: no command may arrive before namespaces have their state.
	 * A socket's load in parts and its hold on trace mode go with it.
	 */
	err = pp_genl_init();
	if (err)
		goto err_pernet;
	return 0;

err_pernet:
	unregister_pernet_subsys(&pp_net_ops);
err_notifiers:
	nf_nat_masquerade_inet_unregister_notifiers();
err_wq:
	pp_ruleset_wq_exit();
	return err;
}

static void __exit pp_exit(void)
{
	pp_genl_exit();
	unregister_pernet_subsys(&pp_net_ops);
	nf_nat_masquerade_inet_unregister_notifiers();
	/* Every retired ruleset is freed before we go. */
	pp_ruleset_wq_exit();
}

module_init(pp_init);
module_exit(pp_exit);

MODULE_DESCRIPTION("pktpath: filter, mark and NAT chains over generic netlink");
MODULE_AUTHOR("The pktpath developers");
MODULE_VERSION(PKTPATH_VERSION);
MODULE_LICENSE("GPL");
MODULE_ALIAS_GENL_FAMILY(PKTPATH_GENL_NAME);
