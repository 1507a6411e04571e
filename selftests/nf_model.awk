# SPDX-License-Identifier: GPL-2.0
#
# Rulesets and packets for checking pktpath_nf's classifier against a plain
# linear first-match walk (nf_classify.sh) and for the classifier benchmark
# (qemu/guest/nf_bench.sh). Written for any POSIX awk (mawk: no bit
# operations): an address is a row of 16-bit groups, two for IPv4.
#
# A rule a line, fields separated by one space, "-" for no match:
#   FAM SADDR/LEN DADDR/LEN PROTO SPORT DPORT ICMPTYPE ACTION
# FAM 4 or 6, PROTO tcp|udp|icmp, ports LO-HI, ACTION drop|accept|counter.
# A packet a line, as pp_craft reads them:
#   SRC DST tcp SPORT DPORT syn | SRC DST udp SPORT DPORT | SRC DST icmp TYPE
#
#   -v mode=gen kind=K n=N seed=S fam=4|6    N rules of kind K:
#        single    saddr /32 (172.16.0.0/12; the old bench's rules)
#        mixed     random source and destination prefixes of every length,
#                  tcp or udp or none, no port, a port or a range
#        ranges    one subnet pair (10.1/24 → 10.2/24, fd01::/64 → fd02::/64),
#                  udp, N disjoint destination port ranges (one in each of N
#                  slots; at most 65,534), none covering 5201 (iperf3)
#        counters  mixed, with every tenth rule 'counter'
#        random    small address and port spaces, every action: rules and
#                  packets that overlap a lot (the equivalence test)
#      (single, mixed, counters: never the bench's 10.1/10.2, fd01/fd02)
#   -v mode=pktpath hook=H   rules → pktpath rule lines in chain H
#   -v mode=nft              rules → nft rule statements
#   -v mode=nftset           drop rules → elements of a set of type
#        saddr . daddr . inet_proto . inet_service (flags interval)
#   -v mode=pkts n=N seed=S  rules → N packets, most inside a rule's box
#   -v mode=probe k=K        rules → a packet inside rule K's box (0 up)
#   -v mode=expect           rules file, then packets file → per rule the
#        packets a linear walk gives it, one number a line; then a line
#        "policy N": packets no terminal rule took

function hexval(s,    i, v, c) {
	v = 0
	s = tolower(s)
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		v = v * 16 + c
	}
	return v
}

# Address string → groups G[0..], returns their number.
function parse_addr(s, G,    p, n, i) {
	if (index(s, ":")) {
		n = split(s, p, ":")
		for (i = 1; i <= n; i++)
			G[i - 1] = hexval(p[i])
		return 8
	}
	split(s, p, ".")
	G[0] = p[1] * 256 + p[2]
	G[1] = p[3] * 256 + p[4]
	return 2
}

function format_addr(G, ng,    s, i) {
	if (ng == 2)
		return int(G[0] / 256) "." (G[0] % 256) "." int(G[1] / 256) "." (G[1] % 256)
	s = sprintf("%x", G[0])
	for (i = 1; i < ng; i++)
		s = s ":" sprintf("%x", G[i])
	return s
}

# The part of group value V kept by the first B bits (0..16).
function keep(v, b,    m) {
	if (b >= 16)
		return v
	if (b <= 0)
		return 0
	m = 2 ^ (16 - b)
	return int(v / m) * m
}

# Zero the host bits of G beyond LEN.
function mask_addr(G, ng, len,    i) {
	for (i = 0; i < ng; i++)
		G[i] = keep(G[i], len - 16 * i)
}

# Does address A (groups) lie in prefix P/LEN (groups)?
function in_prefix(A, P, ng, len,    i) {
	for (i = 0; i < ng; i++)
		if (keep(A[i], len - 16 * i) != keep(P[i], len - 16 * i))
			return 0
	return 1
}

function rnd(n) {
	return int(rand() * n)
}

# A random prefix of LEN bits under BASE (groups, its first BLEN bits kept).
function rand_prefix(B, ng, blen, len,    G, i, kb) {
	for (i = 0; i < ng; i++) {
		kb = blen - 16 * i
		kb = kb < 0 ? 0 : kb > 16 ? 16 : kb
		G[i] = keep(B[i], kb) + rnd(2 ^ (16 - kb))
	}
	mask_addr(G, ng, len)
	return format_addr(G, ng) "/" len
}

function rand_ports(lo, hi, span,    a, w) {
	a = lo + rnd(hi - lo + 1)
	w = rnd(span)
	if (a + w > hi)
		w = hi - a
	return a "-" (a + w)
}

# The family's address space: its base into B, its prefix length returned.
function space(fam, a4, l4, a6, l6, B) {
	parse_addr(fam == 4 ? a4 : a6, B)
	return fam == 4 ? l4 : l6
}

# One rule of the mixed kind: addresses under 172.16.0.0/12 or fd10::/16,
# at least one of them, so that no rule matches the bench's traffic.
function gen_mixed(fam, ng,    s, d, p, pt, r, B, blen, t) {
	blen = space(fam, "172.16.0.0", 12, "fd10:0:0:0:0:0:0:0", 16, B)
	r = rnd(3)
	s = r != 1 ? rand_prefix(B, ng, blen, blen + rnd(16 * ng - blen + 1)) : "-"
	d = r != 0 ? rand_prefix(B, ng, blen, blen + rnd(16 * ng - blen + 1)) : "-"
	r = rnd(10)
	p = r < 2 ? "-" : r < 6 ? "tcp" : "udp"
	pt = "-"
	if (p != "-") {
		r = rnd(10)
		t = 1 + rnd(65535)
		if (r >= 3 && r < 7)
			pt = t "-" t
		else if (r >= 7)
			pt = rand_ports(1, 65535, 1000)
	}
	return fam " " s " " d " " p " - " pt " - drop"
}

function gen_random(fam, ng,    s, d, p, sp, dp, it, a, r, B, blen, t) {
	blen = space(fam, "10.64.0.0", 16, "fd40:0:0:0:0:0:0:0", 112, B)
	s = rnd(10) ? rand_prefix(B, ng, blen, blen + 1 + rnd(16 * ng - blen)) : "-"
	d = rnd(10) ? rand_prefix(B, ng, blen, blen + 1 + rnd(16 * ng - blen)) : "-"
	r = rnd(20)
	p = r < 5 ? "-" : r < 11 ? "tcp" : r < 17 ? "udp" : "icmp"
	sp = dp = it = "-"
	if (p == "tcp" || p == "udp") {
		r = rnd(10)
		t = 1 + rnd(64)
		sp = r < 7 ? "-" : r < 8 ? t "-" t : rand_ports(1, 64, 16)
		r = rnd(10)
		t = 1 + rnd(64)
		dp = r < 3 ? "-" : r < 6 ? t "-" t : rand_ports(1, 64, 16)
	} else if (p == "icmp" && rnd(2)) {
		it = fam == 4 ? icmp4[rnd(4)] : icmp6[rnd(4)]
	}
	r = rnd(10)
	a = r < 3 ? "drop" : r < 5 ? "accept" : "counter"
	return fam " " s " " d " " p " " sp " " dp " " it " " a
}

function gen(kind, n, fam,    ng, i, a, w, lo, hi, sl) {
	ng = fam == 4 ? 2 : 8
	for (i = 0; i < n; i++) {
		if (kind == "single" && fam == 4) {
			print "4 172." 16 + int(i / 65536) "." int(i / 256) % 256 "." i % 256 "/32 - - - - - drop"
		} else if (kind == "single") {
			print "6 fd10:0:0:0:0:0:" sprintf("%x:%x", int(i / 65536), i % 65536) "/128 - - - - - drop"
		} else if (kind == "mixed") {
			print gen_mixed(fam, ng)
		} else if (kind == "counters") {
			a = gen_mixed(fam, ng)
			if (i % 10 == 9)
				sub(/ drop$/, " counter", a)
			print a
		} else if (kind == "ranges") {
			# slot i of N over the ports but 5201, a range in it
			sl = 65534 / (n > 65534 ? 65534 : n)
			a = int(i * sl)
			w = int((i + 1) * sl) - a - 1
			w = w > 0 ? rnd(w + 1) : 0
			lo = a + 1 + (a + 1 >= 5201)
			hi = a + w + 1 + (a + w + 1 >= 5201)
			if (lo < 5201 && hi >= 5201)
				hi = 5200
			if (i >= 65534)
				continue
			if (fam == 4)
				print "4 10.1.0.0/24 10.2.0.0/24 udp - " lo "-" hi " - drop"
			else
				print "6 fd01:0:0:0:0:0:0:0/64 fd02:0:0:0:0:0:0:0/64 udp - " lo "-" hi " - drop"
		} else {
			print gen_random(fam, ng)
		}
	}
}

function ports_text(p,    a) {
	split(p, a, "-")
	return a[1] == a[2] ? a[1] : p
}

function to_pktpath(f, hook,    s) {
	s = (f[1] == 4 ? "ip " : "ip6 ") hook
	if (f[2] != "-") s = s " saddr " f[2]
	if (f[3] != "-") s = s " daddr " f[3]
	if (f[4] != "-") s = s " proto " (f[4] == "icmp" && f[1] == 6 ? "icmpv6" : f[4])
	if (f[5] != "-") s = s " sport " ports_text(f[5])
	if (f[6] != "-") s = s " dport " ports_text(f[6])
	if (f[7] != "-") s = s " icmp-type " f[7]
	return s " " f[8]
}

function to_nft(f,    s, ip, p) {
	ip = f[1] == 4 ? "ip" : "ip6"
	p = f[4] == "icmp" && f[1] == 6 ? "icmpv6" : f[4]
	s = ""
	if (f[2] != "-") s = s " " ip " saddr " f[2]
	if (f[3] != "-") s = s " " ip " daddr " f[3]
	if (f[4] != "-" && f[5] == "-" && f[6] == "-" && f[7] == "-")
		s = s " meta l4proto " p
	if (f[5] != "-") s = s " " p " sport " ports_text(f[5])
	if (f[6] != "-") s = s " " p " dport " ports_text(f[6])
	if (f[7] != "-") s = s " " p " type " f[7]
	return substr(s, 2) " " f[8]
}

function to_nftset(f,    s, d, p, pt) {
	s = f[2] != "-" ? f[2] : f[1] == 4 ? "0.0.0.0/0" : "::/0"
	d = f[3] != "-" ? f[3] : f[1] == 4 ? "0.0.0.0/0" : "::/0"
	p = f[4] != "-" ? f[4] : "0-255"
	pt = f[6] != "-" ? f[6] : "0-65535"
	return s " . " d " . " p " . " pt
}

# A random address in prefix P (or anywhere in the test's space).
function addr_in(p, fam,    a, G, ng, len, i, r) {
	ng = fam == 4 ? 2 : 8
	if (p == "-")
		p = fam == 4 ? "10.64.0.0/16" : "fd40:0:0:0:0:0:0:0/112"
	split(p, a, "/")
	parse_addr(a[1], G)
	len = a[2]
	for (i = 0; i < ng; i++) {
		r = len - 16 * i
		if (r < 16)
			G[i] = keep(G[i], r) + rnd(2 ^ (16 - (r < 0 ? 0 : r)))
	}
	return format_addr(G, ng)
}

function port_in(p,    a) {
	if (p == "-")
		return 1 + rnd(70)
	split(p, a, "-")
	return a[1] + rnd(a[2] - a[1] + 1)
}

# A packet inside rule F's box; a field the rule leaves open is random.
function packet_in(f,    s, d, p, t) {
	s = addr_in(f[2], f[1])
	d = addr_in(f[3], f[1])
	p = f[4]
	if (p == "-")
		p = rnd(3) == 0 ? "icmp" : rnd(2) ? "tcp" : "udp"
	if (p == "icmp") {
		t = f[7] != "-" ? f[7] : f[1] == 4 ? icmp4[rnd(4)] : icmp6[rnd(4)]
		return s " " d " icmp " t
	}
	return s " " d " " p " " port_in(f[5]) " " port_in(f[6]) (p == "tcp" ? " syn" : "")
}

function ports_hold(r, v,    a) {
	if (r == "-")
		return 1
	split(r, a, "-")
	return v >= a[1] && v <= a[2]
}

function addr_holds(r, addr,    a, P, A, ng) {
	if (r == "-")
		return 1
	split(r, a, "/")
	ng = parse_addr(a[1], P)
	if (parse_addr(addr, A) != ng)
		return 0
	return in_prefix(A, P, ng, a[2] + 0)
}

# Does rule I (its fields in R[I, 1..8]) match packet fields K?
function matches(i, k) {
	if (!addr_holds(R[i, 2], k[1]) || !addr_holds(R[i, 3], k[2]))
		return 0
	if (R[i, 4] != "-" && R[i, 4] != k[3])
		return 0
	if ((R[i, 5] != "-" || R[i, 6] != "-") && k[3] == "icmp")
		return 0
	if (!ports_hold(R[i, 5], k[4]) || !ports_hold(R[i, 6], k[5]))
		return 0
	if (R[i, 7] != "-" && (k[3] != "icmp" || k[4] != R[i, 7]))
		return 0
	return 1
}

BEGIN {
	icmp4[0] = 0; icmp4[1] = 3; icmp4[2] = 8; icmp4[3] = 11
	icmp6[0] = 1; icmp6[1] = 2; icmp6[2] = 128; icmp6[3] = 129
	srand(seed + 0)
	if (mode == "gen") {
		gen(kind, n + 0, fam + 0)
		exit
	}
}

mode == "expect" && FNR == NR {
	nf = split($0, f, " ")
	for (j = 1; j <= nf; j++)
		R[nrules + 0, j] = f[j]
	nrules++
	next
}

mode == "expect" {
	split($0, pk, " ")
	for (i = 0; i < nrules; i++) {
		if (!matches(i, pk))
			continue
		hits[i]++
		if (R[i, 8] != "counter")
			break
	}
	if (i == nrules)
		policy++
	next
}

{
	split($0, f, " ")
	if (mode == "pktpath")
		print to_pktpath(f, hook)
	else if (mode == "nft")
		print to_nft(f)
	else if (mode == "nftset" && f[8] == "drop")
		print to_nftset(f)
	else
		rule[nrules++] = $0
}

END {
	if (mode == "expect") {
		for (i = 0; i < nrules; i++)
			print hits[i] + 0
		print "policy " policy + 0
	} else if (mode == "pkts") {
		for (j = 0; j < n; j++) {
			if (rnd(10) < 7 && nrules) {
				split(rule[rnd(nrules)], f, " ")
			} else {
				split(rule[0], f, " ")
				f[2] = f[3] = f[4] = f[5] = f[6] = f[7] = "-"
			}
			print packet_in(f)
		}
	} else if (mode == "probe") {
		# not a subnet's network (.0), router (.1) or broadcast (.255)
		# address, which never cross FORWARD, nor the server (.2),
		# which would answer; a rule whose box holds only such
		# addresses (a /32) gives way to the next one, and none may
		# be left: no packet
		for (k += 0; k < nrules; k++) {
			split(rule[k], f, " ")
			for (tries = 0; tries < 100; tries++) {
				p = packet_in(f)
				split(p, a, " ")
				if (f[1] != 4 || (a[1] !~ /\.(0|1|2|255)$/ && a[2] !~ /\.(0|1|2|255)$/)) {
					print p
					exit
				}
			}
		}
	}
}
