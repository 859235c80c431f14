// Kernel UDP drop counts from /proc/net/udp (and udp6): pure parsing here, the
// listener reads the files. A datagram the kernel drops (receive buffer full)
// never reaches the process, so this is the only place that loss shows.

/** Inodes of the sockets bound to local `port` in a /proc/net/udp{,6} text. */
export function udpInodesOnPort(text: string, port: number): number[] {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const out: number[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 13 && f[1]?.endsWith(hex)) {
      const inode = Number(f[9]);
      if (Number.isSafeInteger(inode) && inode > 0) out.push(inode);
    }
  }
  return out;
}

/** Drops of the socket with `inode` in a /proc/net/udp{,6} text, or undefined if it is not there. */
export function udpDrops(text: string, inode: number): number | undefined {
  const want = String(inode);
  // Header, then one socket per line:
  // sl local rem st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 13 && f[9] === want) {
      const drops = Number(f[12]);
      return Number.isSafeInteger(drops) && drops >= 0 ? drops : undefined;
    }
  }
  return undefined;
}
