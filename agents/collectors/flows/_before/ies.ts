// IANA information elements (NetFlow v9 field types share the numbering for
// 1..127, RFC 3954 section 8; IPFIX: https://www.iana.org/assignments/ipfix).
// Only the elements a Flow event carries are mapped; the rest are skipped by
// length.
export const IE = {
  octetDeltaCount: 1,
  packetDeltaCount: 2,
  protocolIdentifier: 4,
  tcpControlBits: 6,
  sourceTransportPort: 7,
  sourceIPv4Address: 8,
  destinationTransportPort: 11,
  destinationIPv4Address: 12,
  /** v9 LAST_SWITCHED / IPFIX flowEndSysUpTime (ms of system uptime). */
  flowEndSysUpTime: 21,
  /** v9 FIRST_SWITCHED / IPFIX flowStartSysUpTime. */
  flowStartSysUpTime: 22,
  postOctetDeltaCount: 23,
  postPacketDeltaCount: 24,
  sourceIPv6Address: 27,
  destinationIPv6Address: 28,
  icmpTypeCodeIPv4: 32,
  octetTotalCount: 85,
  packetTotalCount: 86,
  icmpTypeCodeIPv6: 139,
  flowStartSeconds: 150,
  flowEndSeconds: 151,
  flowStartMilliseconds: 152,
  flowEndMilliseconds: 153,
  flowStartMicroseconds: 154,
  flowEndMicroseconds: 155,
  flowStartNanoseconds: 156,
  flowEndNanoseconds: 157,
  flowStartDeltaMicroseconds: 158,
  flowEndDeltaMicroseconds: 159,
  systemInitTimeMilliseconds: 160,
  flowDurationMilliseconds: 161,
  flowDurationMicroseconds: 162,
  /** Cisco ASA (NSEL) sends these instead of octet/packet delta counts. */
  initiatorOctets: 231,
  responderOctets: 232,
  initiatorPackets: 298,
  responderPackets: 299,
} as const;

/** Seconds between the NTP epoch (1900) and the Unix epoch. */
export const NTP_EPOCH_OFFSET_S = 2_208_988_800;
