#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktpath --help | mkman.sh VERSION > pktpath.8: the usage text as a man
# page. A line at column 0 is a section (.SH); the lines under it keep
# their layout (.nf), four columns less indented. NAME is filled, as
# whatis(1) and mandb expect.
set -euo pipefail
version=${1:?usage: mkman.sh VERSION}
printf '.\\" SPDX-License-Identifier: GPL-2.0\n'
printf '.\\" Generated from pktpath --help by tools/mkman.sh: edit tools/usage.c.\n'
printf '.TH PKTPATH 8 "" "pktpath %s" "System Administration"\n' "$version"
awk '
function roff(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	if (s ~ /^[.\047]/)
		s = "\\&" s
	return s
}
/^[^ ]/ {
	if (open)
		print ".fi"
	open = 0
	print ".SH " roff($0)
	name = ($0 == "NAME")
	next
}
/^$/ {
	if (open)
		print ""
	next
}
{
	line = $0
	sub(/^    /, "", line)
	if (name) {
		sub(/ - /, " \\- ", line)
		print line
		next
	}
	if (!open)
		print ".nf"
	open = 1
	print roff(line)
}
END {
	if (open)
		print ".fi"
}'
