/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Register map of the Intel 8254x family as used by pktpath_e1000.
 *
 * Only the registers and bits this driver touches are listed. Offsets are
 * byte offsets into BAR0 (MMIO). Names follow the 8254x datasheet with an
 * E1K_ prefix.
 */
#ifndef _PKTPATH_E1000_REGS_H
#define _PKTPATH_E1000_REGS_H

#include <linux/bits.h>

/* General control and status */
#define E1K_CTRL		0x0000
#define E1K_STATUS		0x0008
#define E1K_EECD		0x0010
#define E1K_EERD		0x0014
#define E1K_CTRL_EXT		0x0018
#define E1K_MDIC		0x0020
#define E1K_FCAL		0x0028
#define E1K_FCAH		0x002c
#define E1K_FCT			0x0030
#define E1K_VET			0x0038
#define E1K_FCTTV		0x0170

/* Interrupts */
#define E1K_ICR			0x00c0
#define E1K_ITR			0x00c4
#define E1K_ICS			0x00c8
#define E1K_IMS			0x00d0
#define E1K_IMC			0x00d8

/* Receive */
#define E1K_RCTL		0x0100
#define E1K_RDBAL		0x2800
#define E1K_RDBAH		0x2804
#define E1K_RDLEN		0x2808
#define E1K_RDH			0x2810
#define E1K_RDT			0x2818
#define E1K_RDTR		0x2820
#define E1K_RADV		0x282c
#define E1K_MTA(i)		(0x5200 + 4 * (i))
#define E1K_RAL(i)		(0x5400 + 8 * (i))
#define E1K_RAH(i)		(0x5404 + 8 * (i))
#define E1K_VFTA(i)		(0x5600 + 4 * (i))

/* Transmit */
#define E1K_TCTL		0x0400
#define E1K_TIPG		0x0410
#define E1K_TDBAL		0x3800
#define E1K_TDBAH		0x3804
#define E1K_TDLEN		0x3808
#define E1K_TDH			0x3810
#define E1K_TDT			0x3818
#define E1K_TIDV		0x3820
#define E1K_TADV		0x382c

/* Statistics: clear-on-read, except MPC and RNBC under QEMU */
#define E1K_CRCERRS		0x4000
#define E1K_ALGNERRC		0x4004
#define E1K_SYMERRS		0x4008
#define E1K_RXERRC		0x400c
#define E1K_MPC			0x4010
#define E1K_SCC			0x4014
#define E1K_ECOL		0x4018
#define E1K_MCC			0x401c
#define E1K_LATECOL		0x4020
#define E1K_COLC		0x4028
#define E1K_DC			0x4030
#define E1K_TNCRS		0x4034
#define E1K_SEC			0x4038
#define E1K_CEXTERR		0x403c
#define E1K_RLEC		0x4040
#define E1K_XONRXC		0x4048
#define E1K_XONTXC		0x404c
#define E1K_XOFFRXC		0x4050
#define E1K_XOFFTXC		0x4054
#define E1K_FCRUC		0x4058
#define E1K_GPRC		0x4074
#define E1K_BPRC		0x4078
#define E1K_MPRC		0x407c
#define E1K_GPTC		0x4080
#define E1K_GORCL		0x4088
#define E1K_GORCH		0x408c
#define E1K_GOTCL		0x4090
#define E1K_GOTCH		0x4094
#define E1K_RNBC		0x40a0
#define E1K_RUC			0x40a4
#define E1K_RFC			0x40a8
#define E1K_ROC			0x40ac
#define E1K_RJC			0x40b0
#define E1K_TORL		0x40c0
#define E1K_TORH		0x40c4
#define E1K_TOTL		0x40c8
#define E1K_TOTH		0x40cc
#define E1K_TPR			0x40d0
#define E1K_TPT			0x40d4
#define E1K_MPTC		0x40f0
#define E1K_BPTC		0x40f4
#define E1K_TSCTC		0x40f8
#define E1K_TSCTFC		0x40fc

/* Table sizes */
#define E1K_RAR_ENTRIES		16
#define E1K_MTA_WORDS		128
#define E1K_VFTA_WORDS		128

/* CTRL */
#define E1K_CTRL_FD		BIT(0)
#define E1K_CTRL_LRST		BIT(3)
#define E1K_CTRL_ASDE		BIT(5)
#define E1K_CTRL_SLU		BIT(6)
#define E1K_CTRL_ILOS		BIT(7)
#define E1K_CTRL_FRCSPD		BIT(11)
#define E1K_CTRL_FRCDPX		BIT(12)
#define E1K_CTRL_RST		BIT(26)
#define E1K_CTRL_RFCE		BIT(27)
#define E1K_CTRL_TFCE		BIT(28)
#define E1K_CTRL_VME		BIT(30)
#define E1K_CTRL_PHY_RST	BIT(31)

/* STATUS */
#define E1K_STATUS_FD		BIT(0)
#define E1K_STATUS_LU		BIT(1)
#define E1K_STATUS_SPEED_MASK	GENMASK(7, 6)
#define E1K_STATUS_SPEED_10	0
#define E1K_STATUS_SPEED_100	1

/*
 * EERD: the 8254x has the address at bit 8 and done at bit 4, the 82574L
 * the address at bit 2 and done at bit 1 (struct e1k_family).
 */
#define E1K_EERD_START		BIT(0)
#define E1K_EERD_DONE		BIT(4)
#define E1K_EERD_ADDR_SHIFT	8
#define E1K_EERD_DONE_82574	BIT(1)
#define E1K_EERD_ADDR_SHIFT_82574 2
#define E1K_EERD_DATA_SHIFT	16
#define E1K_EEPROM_WORDS	64
#define E1K_EEPROM_CSUM_WORD	0x3f
#define E1K_EEPROM_CSUM		0xbaba

/* MDIC */
#define E1K_MDIC_DATA_MASK	GENMASK(15, 0)
#define E1K_MDIC_REG_SHIFT	16
#define E1K_MDIC_PHY_SHIFT	21
#define E1K_MDIC_OP_WRITE	BIT(26)
#define E1K_MDIC_OP_READ	BIT(27)
#define E1K_MDIC_READY		BIT(28)
#define E1K_MDIC_ERROR		BIT(30)
#define E1K_PHY_ADDR		1
#define E1K_PHY_ID1		0x02
#define E1K_PHY_ID2		0x03

/* Interrupt causes (ICR/ICS/IMS/IMC) */
#define E1K_INT_TXDW		BIT(0)
#define E1K_INT_TXQE		BIT(1)
#define E1K_INT_LSC		BIT(2)
#define E1K_INT_RXSEQ		BIT(3)
#define E1K_INT_RXDMT0		BIT(4)
#define E1K_INT_RXO		BIT(6)
#define E1K_INT_RXT0		BIT(7)
#define E1K_INT_MDAC		BIT(9)
#define E1K_INT_ALL		0xffffffff
/* Always enabled; TXDW only while the TX queue is stopped (tx.c). */
#define E1K_INT_ENABLE		(E1K_INT_LSC | E1K_INT_RXSEQ | \
				 E1K_INT_RXDMT0 | E1K_INT_RXO | E1K_INT_RXT0)

/* RCTL */
#define E1K_RCTL_EN		BIT(1)
#define E1K_RCTL_SBP		BIT(2)
#define E1K_RCTL_UPE		BIT(3)
#define E1K_RCTL_MPE		BIT(4)
#define E1K_RCTL_LPE		BIT(5)
#define E1K_RCTL_LBM_MASK	GENMASK(7, 6)
#define E1K_RCTL_RDMTS_HALF	0		/* RXDMT0 at 1/2 ring free */
#define E1K_RCTL_MO_MASK	GENMASK(13, 12)
#define E1K_RCTL_BAM		BIT(15)
#define E1K_RCTL_BSIZE_MASK	GENMASK(17, 16)
#define E1K_RCTL_BSIZE_2048	0		/* with BSEX clear */
#define E1K_RCTL_VFE		BIT(18)
#define E1K_RCTL_CFIEN		BIT(19)
#define E1K_RCTL_DPF		BIT(22)
#define E1K_RCTL_BSEX		BIT(25)
#define E1K_RCTL_SECRC		BIT(26)

/* TCTL */
#define E1K_TCTL_EN		BIT(1)
#define E1K_TCTL_PSP		BIT(3)
#define E1K_TCTL_CT_SHIFT	4
#define E1K_TCTL_COLD_SHIFT	12
#define E1K_TCTL_RTLC		BIT(24)
#define E1K_TCTL_CT_DEFAULT	0x0f
#define E1K_TCTL_COLD_FD	0x40

/* TIPG: IEEE 802.3 values for copper parts */
#define E1K_TIPG_IPGT		10
#define E1K_TIPG_IPGR1		8
#define E1K_TIPG_IPGR2		6
#define E1K_TIPG_IPGR1_SHIFT	10
#define E1K_TIPG_IPGR2_SHIFT	20

/* RAH */
#define E1K_RAH_AV		BIT(31)

/* RDTR */
#define E1K_RDTR_FPD		BIT(31)

/*
 * Descriptors. All are 16 bytes and little endian.
 */

/* Legacy receive descriptor */
struct e1k_rx_desc {
	__le64 addr;
	__le16 length;
	__le16 csum;
	u8 status;
	u8 errors;
	__le16 special;
};

#define E1K_RXD_STAT_DD		BIT(0)
#define E1K_RXD_STAT_EOP	BIT(1)
#define E1K_RXD_STAT_IXSM	BIT(2)
#define E1K_RXD_STAT_VP		BIT(3)

#define E1K_RXD_ERR_CE		BIT(0)
#define E1K_RXD_ERR_SE		BIT(1)
#define E1K_RXD_ERR_SEQ		BIT(2)
#define E1K_RXD_ERR_CXE		BIT(4)
#define E1K_RXD_ERR_TCPE	BIT(5)
#define E1K_RXD_ERR_IPE		BIT(6)
#define E1K_RXD_ERR_RXE		BIT(7)
/* Errors that make the frame itself bad (checksum errors do not). */
#define E1K_RXD_ERR_FRAME	(E1K_RXD_ERR_CE | E1K_RXD_ERR_SE | \
				 E1K_RXD_ERR_SEQ | E1K_RXD_ERR_CXE | \
				 E1K_RXD_ERR_RXE)

/*
 * Transmit: extended data descriptor (DEXT=1, DTYP=1) and context
 * descriptor (DEXT=1, DTYP=0) share the same 16-byte layout.
 */
struct e1k_tx_desc {
	__le64 addr;
	__le32 cmd_len;		/* length[19:0] DTYP[23:20] DCMD[31:24] */
	__le32 opts;		/* STA[3:0] POPTS[15:8] VLAN[31:16] */
};

struct e1k_tx_ctx_desc {
	u8 ipcss;
	u8 ipcso;
	__le16 ipcse;
	u8 tucss;
	u8 tucso;
	__le16 tucse;
	__le32 cmd_len;		/* PAYLEN[19:0] DTYP[23:20] TUCMD[31:24] */
	u8 status;
	u8 hdr_len;
	__le16 mss;
};

#define E1K_TXD_LEN_MASK	GENMASK(19, 0)
#define E1K_TXD_DTYP_DATA	BIT(20)
#define E1K_TXD_DTYP_CTX	0
#define E1K_TXD_CMD_EOP		BIT(24)
#define E1K_TXD_CMD_IFCS	BIT(25)
#define E1K_TXD_CMD_TSE		BIT(26)
#define E1K_TXD_CMD_RS		BIT(27)
#define E1K_TXD_CMD_DEXT	BIT(29)
#define E1K_TXD_CMD_VLE		BIT(30)
#define E1K_TXD_CMD_IDE		BIT(31)
/* Context descriptor TUCMD bits */
#define E1K_TXD_CMD_TCP		BIT(24)
#define E1K_TXD_CMD_IP		BIT(25)

#define E1K_TXD_STAT_DD		BIT(0)
#define E1K_TXD_POPTS_IXSM	BIT(8)
#define E1K_TXD_POPTS_TXSM	BIT(9)
#define E1K_TXD_VLAN_SHIFT	16

/*
 * 82574L only (hw_82574.c): what another driver may leave set, which this
 * one, with legacy descriptors, one queue pair and INTx, needs cleared.
 * CTRL.RST resets none of it in QEMU's model.
 */
#define E1K_EIAC_82574		0x00dc
#define E1K_IVAR_82574		0x00e4
#define E1K_RXCSUM		0x5000
#define E1K_RFCTL		0x5008
#define E1K_MRQC		0x5818
#define E1K_RDLEN1		0x2908
#define E1K_RDH1		0x2910
#define E1K_RDT1		0x2918
#define E1K_TDLEN1		0x3908
#define E1K_TDH1		0x3910
#define E1K_TDT1		0x3918
#define E1K_CTRL_EXT_EIAME	BIT(24)
#define E1K_CTRL_EXT_IAME	BIT(27)
#define E1K_CTRL_EXT_INT_TIMERS_CLEAR	BIT(29)
#define E1K_CTRL_EXT_PBA_CLR	BIT(31)
#define E1K_RFCTL_ACK_DIS	BIT(12)	/* no ACK cause for every TCP ACK */
#define E1K_RFCTL_EXTEN		BIT(15)	/* extended RX descriptors */

#endif /* _PKTPATH_E1000_REGS_H */
