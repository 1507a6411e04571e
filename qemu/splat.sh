#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# splat.sh LOG: print the kernel splats found in a console log, with the
# lines that follow each (which name the function and module), and exit 0
# if there was any; exit 1 if the log is clean.
log=${1:?usage: splat.sh CONSOLE-LOG}
pat='BUG:|WARNING:|Oops|general protection fault|KASAN|UBSAN|kernel BUG'
pat+='|possible recursive locking|possible circular locking|lockdep|inconsistent lock state'
pat+='|suspicious RCU usage|rcu_.*stall|self-detected stall|refcount_t:|ref_tracker:'
pat+='|unreferenced object|DMA-API:|list_add corruption|list_del corruption'
pat+='|sleeping function called from invalid context|scheduling while atomic'
pat+='|soft lockup|hung_task|blocked for more than|Kernel panic|double free|use-after-free'
grep -aEn -A8 "$pat" "$log" | head -n 60 | grep . || exit 1
exit 0
