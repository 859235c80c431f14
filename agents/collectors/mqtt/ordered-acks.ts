// Acknowledgements of received messages, sent in the order the messages
// arrived (MQTT 3.1.1 §4.6: PUBACKs in the order of the PUBLISH packets), each
// only once its own events and those of every earlier message are stored.
// Many messages may wait at once, so one group commit (one fsync) covers
// many of them; `limit` bounds how many wait (memory, and the broker's own
// in-flight window). Pure: the caller says how to send and how to give up.

export interface OrderedAcks {
  /**
   * Queues a message's acknowledgement: `send` runs once `stored` resolved
   * true and every earlier acknowledgement was sent. `stored` must not reject.
   */
  add(stored: Promise<boolean>, send: () => void): void;
  /** Runs `next` once fewer than `limit` acknowledgements wait (now, if so). */
  whenRoom(next: () => void): void;
  /** The connection is gone: nothing queued is sent, no `whenRoom` runs. */
  abandon(): void;
  /** Acknowledgements not yet sent. */
  readonly waiting: number;
}

interface Entry {
  /** undefined until the store settled. */
  stored?: boolean;
  send: () => void;
}

/**
 * `onStoreFailed` runs once, when the first message (in arrival order) could
 * not be stored: it and every later one stay unacknowledged (the caller drops
 * the connection, so the broker delivers them again).
 */
export function orderedAcks(limit: number, onStoreFailed: () => void): OrderedAcks {
  const queue: Entry[] = [];
  const waiters: (() => void)[] = [];
  let done = false;

  const pump = () => {
    while (!done && queue[0]?.stored !== undefined) {
      const e = queue.shift() as Entry;
      if (!e.stored) {
        done = true;
        queue.length = 0;
        waiters.length = 0;
        onStoreFailed();
        return;
      }
      e.send();
    }
    while (!done && queue.length < limit && waiters.length > 0) (waiters.shift() as () => void)();
  };

  return {
    add(stored, send) {
      if (done) return;
      const e: Entry = { send };
      queue.push(e);
      void stored.then((ok) => {
        e.stored = ok;
        pump();
      });
    },
    whenRoom(next) {
      if (done) return;
      if (queue.length < limit && waiters.length === 0) next();
      else waiters.push(next);
    },
    abandon() {
      done = true;
      queue.length = 0;
      waiters.length = 0;
    },
    get waiting() {
      return queue.length;
    },
  };
}
