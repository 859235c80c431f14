// The capture pipeline, pure and synchronous: captured packets in; flow
// records, wire events (application exchanges) and malformed-input reports
// out. TCP connections to a known service port are reassembled per direction
// and fed to that protocol's analyzer; UDP datagrams go to theirs directly.
// All state is bounded and expires on packet time.
import { modbusAnalyzer } from "./analyzers/modbus.ts";
import { mqttAnalyzer } from "./analyzers/mqtt.ts";
import { snmpAnalyzer } from "./analyzers/snmp.ts";
import { syslogDatagram, syslogStream } from "./analyzers/syslog.ts";
import { ftpAnalyzer, telnetAnalyzer } from "./analyzers/telnet-ftp.ts";
import type { DatagramAnalyzer, Report, StreamAnalyzer, WireFinding } from "./analyzers/types.ts";
import { type FlowRecord, FlowTable, type FlowTableOptions } from "./flow-table.ts";
import { decodePacket, type IpPacket, PROTO, TCP_FLAGS } from "./packet.ts";
import type { PcapPacket } from "./pcap.ts";
import { type StreamChunk, TcpStream } from "./reassembly.ts";

export type WireProtocol = "modbus" | "snmp" | "mqtt" | "syslog" | "telnet" | "ftp";

export interface Service {
  protocol: WireProtocol;
  transport: "tcp" | "udp";
  port: number;
}

export const DEFAULT_SERVICES: readonly Service[] = [
  { protocol: "modbus", transport: "tcp", port: 502 },
  { protocol: "mqtt", transport: "tcp", port: 1883 },
  { protocol: "syslog", transport: "tcp", port: 514 },
  { protocol: "ftp", transport: "tcp", port: 21 },
  { protocol: "telnet", transport: "tcp", port: 23 },
  { protocol: "snmp", transport: "udp", port: 161 },
  { protocol: "snmp", transport: "udp", port: 162 },
  { protocol: "syslog", transport: "udp", port: 514 },
];

const STREAM_ANALYZERS: Record<string, (r: Report) => StreamAnalyzer> = {
  modbus: modbusAnalyzer,
  mqtt: mqttAnalyzer,
  syslog: syslogStream,
  ftp: ftpAnalyzer,
  telnet: telnetAnalyzer,
};
const DATAGRAM_ANALYZERS: Record<string, DatagramAnalyzer> = {
  snmp: snmpAnalyzer,
  syslog: syslogDatagram,
};

export interface WireEventOut {
  protocol: WireProtocol;
  action: string;
  srcAddress: string;
  srcPort: number;
  dstAddress: string;
  dstPort: number;
  /** The connection's client (talks to the service port) and server. */
  client: { address: string; port: number };
  server: { address: string; port: number };
  fields: Record<string, string>;
  tsMs: number;
  vlan: number;
}

export interface MalformedOut {
  /** "pcap" (framing), "packet" (decoding) or the analyzer's protocol. */
  protocol: "pcap" | "packet" | WireProtocol;
  reason: string;
  sample: Uint8Array;
  tsMs: number;
  /** Endpoints when known (analyzer input). */
  src?: string;
  dst?: string;
}

export interface PipelineOutput {
  flow(f: FlowRecord): void;
  wire(e: WireEventOut): void;
  malformed(m: MalformedOut): void;
}

export interface PipelineOptions extends FlowTableOptions {
  /** Extra or replacement service ports (same transport and port replaces a default). */
  services?: Service[];
  /** TCP connections tracked for analysis at most (default 4096; oldest evicted). */
  maxConnections?: number;
  /** A tracked connection with no packet for this long is dropped (default 300 s). */
  connectionIdleMs?: number;
  /** Set false to skip flow accounting. */
  flows?: boolean;
}

interface Conn {
  key: string;
  protocol: WireProtocol;
  client: { address: string; port: number };
  server: { address: string; port: number };
  vlan: number;
  toServer: TcpStream;
  toClient: TcpStream;
  analyzer: StreamAnalyzer;
  lastMs: number;
  finClient: boolean;
  finServer: boolean;
  /** Time of the packet being processed, for the events it yields. */
  nowMs: number;
}

export interface PipelineStats {
  packets: number;
  skipped: number;
  malformed: number;
  wireEvents: number;
  flows: number;
  connectionsEvicted: number;
}

export class Pipeline {
  readonly stats: PipelineStats = {
    packets: 0,
    skipped: 0,
    malformed: 0,
    wireEvents: 0,
    flows: 0,
    connectionsEvicted: 0,
  };
  readonly flowTable: FlowTable;
  private readonly out: PipelineOutput;
  private readonly tcp = new Map<number, WireProtocol>();
  private readonly udp = new Map<number, WireProtocol>();
  private readonly conns = new Map<string, Conn>();
  private readonly maxConns: number;
  private readonly connIdle: number;
  private readonly doFlows: boolean;
  private lastSweep = Number.NEGATIVE_INFINITY;
  /** Latest packet time seen (ms). */
  lastTsMs = 0;

  constructor(out: PipelineOutput, opts: PipelineOptions = {}) {
    this.out = out;
    this.flowTable = new FlowTable(opts);
    for (const s of [...DEFAULT_SERVICES, ...(opts.services ?? [])]) {
      (s.transport === "tcp" ? this.tcp : this.udp).set(s.port, s.protocol);
    }
    this.maxConns = opts.maxConnections ?? 4096;
    this.connIdle = opts.connectionIdleMs ?? 300_000;
    this.doFlows = opts.flows ?? true;
  }

  /** Reports a problem of the capture stream itself. */
  pcapProblem(reason: string, sample: Uint8Array): void {
    this.stats.malformed++;
    this.out.malformed({ protocol: "pcap", reason, sample, tsMs: this.lastTsMs });
  }

  packet(p: PcapPacket): void {
    this.stats.packets++;
    const ts = p.tsMs;
    this.lastTsMs = Math.max(this.lastTsMs, ts);
    const d = decodePacket(p.linkType, p.data);
    if (d.kind === "skip") {
      this.stats.skipped++;
      this.tick(ts);
      return;
    }
    if (d.kind === "malformed") {
      this.stats.malformed++;
      this.out.malformed({ protocol: "packet", reason: d.reason, sample: p.data, tsMs: ts });
      this.tick(ts);
      return;
    }
    const ip = d.packet;
    if (this.doFlows) for (const f of this.flowTable.add(ip, ts)) this.emitFlow(f);
    this.tick(ts);
    if (ip.fragmented) return; // the transport payload is incomplete
    if (ip.protocol === PROTO.TCP) this.tcpPacket(ip, ts);
    else if (ip.protocol === PROTO.UDP) this.udpPacket(ip, ts);
  }

  /** Expires flows and idle connections as of `nowMs` (packet time). */
  tick(nowMs: number): void {
    if (this.doFlows) for (const f of this.flowTable.expire(nowMs)) this.emitFlow(f);
    if (nowMs - this.lastSweep < 1000) return;
    this.lastSweep = nowMs;
    for (const c of this.conns.values()) if (nowMs - c.lastMs >= this.connIdle) this.close(c);
  }

  /** End of input: delivers held stream data and exports every flow. */
  flush(): void {
    for (const c of [...this.conns.values()]) this.close(c);
    if (this.doFlows) for (const f of this.flowTable.flush()) this.emitFlow(f);
  }

  private emitFlow(f: FlowRecord): void {
    this.stats.flows++;
    this.out.flow(f);
  }

  private udpPacket(ip: IpPacket, ts: number): void {
    const toService = this.udp.get(ip.dstPort);
    const fromService = toService ? undefined : this.udp.get(ip.srcPort);
    const protocol = toService ?? fromService;
    if (!protocol) return;
    const analyzer = DATAGRAM_ANALYZERS[protocol];
    if (!analyzer) return;
    const fromClient = toService !== undefined;
    const client = fromClient
      ? { address: ip.src, port: ip.srcPort }
      : { address: ip.dst, port: ip.dstPort };
    const server = fromClient
      ? { address: ip.dst, port: ip.dstPort }
      : { address: ip.src, port: ip.srcPort };
    analyzer(
      ip.payload,
      fromClient,
      this.report(protocol, client, server, ip.vlans[0] ?? 0, () => ts),
    );
  }

  private tcpPacket(ip: IpPacket, ts: number): void {
    const tcp = ip.tcp;
    if (!tcp) return;
    const toService = this.tcp.get(ip.dstPort);
    const fromService = toService ? undefined : this.tcp.get(ip.srcPort);
    const protocol = toService ?? fromService;
    if (!protocol) return;
    const fromClient = toService !== undefined;
    const client = fromClient
      ? { address: ip.src, port: ip.srcPort }
      : { address: ip.dst, port: ip.dstPort };
    const server = fromClient
      ? { address: ip.dst, port: ip.dstPort }
      : { address: ip.src, port: ip.srcPort };
    const vlan = ip.vlans[0] ?? 0;
    const key = `${vlan}|${client.address}|${client.port}|${server.address}|${server.port}`;
    let c = this.conns.get(key);
    if (c) {
      this.conns.delete(key); // re-inserted below: Map order = least recently seen first
    } else {
      if (this.conns.size >= this.maxConns) {
        this.stats.connectionsEvicted++;
        this.close(this.conns.values().next().value as Conn);
      }
      const make = STREAM_ANALYZERS[protocol];
      if (!make) return;
      const conn: Conn = {
        key,
        protocol,
        client,
        server,
        vlan,
        toServer: new TcpStream(),
        toClient: new TcpStream(),
        analyzer: undefined as unknown as StreamAnalyzer,
        lastMs: ts,
        finClient: false,
        finServer: false,
        nowMs: ts,
      };
      conn.analyzer = make(this.report(protocol, client, server, vlan, () => conn.nowMs));
      c = conn;
      c.analyzer.open?.();
    }
    this.conns.set(key, c);
    c.lastMs = ts;
    c.nowMs = ts;
    const mine = fromClient ? c.toServer : c.toClient;
    const theirs = fromClient ? c.toClient : c.toServer;
    if (tcp.flags & TCP_FLAGS.ACK) this.deliver(c, !fromClient, theirs.acked(tcp.ack));
    this.deliver(c, fromClient, mine.push(tcp.seq, tcp.flags, ip.payload));
    if (tcp.flags & TCP_FLAGS.FIN) {
      if (fromClient) c.finClient = true;
      else c.finServer = true;
    }
    if (tcp.flags & TCP_FLAGS.RST || (c.finClient && c.finServer)) this.close(c);
  }

  private deliver(c: Conn, fromClient: boolean, chunks: StreamChunk[]): void {
    for (const ch of chunks) {
      if ("data" in ch) c.analyzer.data(fromClient, ch.data);
      else c.analyzer.gap(fromClient);
    }
  }

  private close(c: Conn): void {
    this.conns.delete(c.key);
    this.deliver(c, true, c.toServer.flush());
    this.deliver(c, false, c.toClient.flush());
  }

  private report(
    protocol: WireProtocol,
    client: { address: string; port: number },
    server: { address: string; port: number },
    vlan: number,
    now: () => number,
  ): Report {
    return {
      event: (f: WireFinding) => {
        this.stats.wireEvents++;
        const [src, dst] = f.fromClient ? [client, server] : [server, client];
        this.out.wire({
          protocol,
          action: f.action,
          srcAddress: src.address,
          srcPort: src.port,
          dstAddress: dst.address,
          dstPort: dst.port,
          client,
          server,
          fields: f.fields,
          tsMs: now(),
          vlan,
        });
      },
      malformed: (reason, sample) => {
        this.stats.malformed++;
        this.out.malformed({
          protocol,
          reason,
          sample: sample.subarray(0, 256),
          tsMs: now(),
          src: client.address,
          dst: server.address,
        });
      },
    };
  }
}
