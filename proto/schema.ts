// The generated protobuf code (proto/gen/, from proto/amoskys/v1/*.proto by
// `npm run build`), configured for AMOSKYS: 64-bit integers decode to plain
// numbers, not Long objects. Import the schema from here, never from gen/.
import protobuf from "protobufjs/minimal.js";
import { amoskys } from "./gen/amoskys.js";

// Sequence numbers, byte counts and timestamps stay below 2^53.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

export const v1 = amoskys.v1;
export type { amoskys };
