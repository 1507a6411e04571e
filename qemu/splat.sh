#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splat.sh LOG: print the kernel splats found in a console log, with the
# lines that follow each (which name the function and module), and exit 0
# if there was any; exit 1 if the log is clean.
log=${1:?usage: splat.sh CONSOLE-LOG}
pat='BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|kernel BUG'
pat+='|possible recursive locking|possible circular locking|inconsistent lock state'
pat+='|lock held when returning|bad unlock balance|suspicious RCU usage'
pat+='|rcu_.*detected stall|self-detected stall|refcount_t:|ref_tracker:.*leaked'
pat+='|unreferenced object|DMA-API: .*(device driver|leak|pending)'
pat+='|list_(add|del) corruption|sleeping function called from invalid context'
pat+='|scheduling while atomic|soft lockup|blocked for more than|Kernel panic'
pat+='|unregister_netdevice: waiting for'
grep -aEn -A8 "$pat" "$log" | head -n 60 | grep . || exit 1
exit 0
