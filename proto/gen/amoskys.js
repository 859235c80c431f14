/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $isFinite = $util.global.isFinite, $Array = $util.global.Array, $Boolean = $util.global.Boolean, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const amoskys = $root.amoskys = (() => {

    /**
     * Namespace amoskys.
     * @exports amoskys
     * @namespace
     */
    const amoskys = {};

    amoskys.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof amoskys
         * @namespace
         */
        const v1 = {};

        /**
         * SourceProtocol enum.
         * @name amoskys.v1.SourceProtocol
         * @enum {number}
         * @property {number} SOURCE_PROTOCOL_UNSPECIFIED=0 SOURCE_PROTOCOL_UNSPECIFIED value
         * @property {number} SOURCE_PROTOCOL_SNMP=1 SOURCE_PROTOCOL_SNMP value
         * @property {number} SOURCE_PROTOCOL_SNMP_TRAP=2 SOURCE_PROTOCOL_SNMP_TRAP value
         * @property {number} SOURCE_PROTOCOL_MQTT=3 SOURCE_PROTOCOL_MQTT value
         * @property {number} SOURCE_PROTOCOL_SPARKPLUG_B=4 SOURCE_PROTOCOL_SPARKPLUG_B value
         * @property {number} SOURCE_PROTOCOL_MODBUS=5 SOURCE_PROTOCOL_MODBUS value
         * @property {number} SOURCE_PROTOCOL_SYSLOG=6 SOURCE_PROTOCOL_SYSLOG value
         * @property {number} SOURCE_PROTOCOL_HL7=7 SOURCE_PROTOCOL_HL7 value
         * @property {number} SOURCE_PROTOCOL_FHIR=8 SOURCE_PROTOCOL_FHIR value
         * @property {number} SOURCE_PROTOCOL_NETFLOW=9 SOURCE_PROTOCOL_NETFLOW value
         * @property {number} SOURCE_PROTOCOL_IPFIX=10 SOURCE_PROTOCOL_IPFIX value
         * @property {number} SOURCE_PROTOCOL_PCAP=11 SOURCE_PROTOCOL_PCAP value
         * @property {number} SOURCE_PROTOCOL_DISCOVERY=12 SOURCE_PROTOCOL_DISCOVERY value
         * @property {number} SOURCE_PROTOCOL_AGENT=13 SOURCE_PROTOCOL_AGENT value
         */
        v1.SourceProtocol = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "SOURCE_PROTOCOL_UNSPECIFIED"] = 0;
            values[valuesById[1] = "SOURCE_PROTOCOL_SNMP"] = 1;
            values[valuesById[2] = "SOURCE_PROTOCOL_SNMP_TRAP"] = 2;
            values[valuesById[3] = "SOURCE_PROTOCOL_MQTT"] = 3;
            values[valuesById[4] = "SOURCE_PROTOCOL_SPARKPLUG_B"] = 4;
            values[valuesById[5] = "SOURCE_PROTOCOL_MODBUS"] = 5;
            values[valuesById[6] = "SOURCE_PROTOCOL_SYSLOG"] = 6;
            values[valuesById[7] = "SOURCE_PROTOCOL_HL7"] = 7;
            values[valuesById[8] = "SOURCE_PROTOCOL_FHIR"] = 8;
            values[valuesById[9] = "SOURCE_PROTOCOL_NETFLOW"] = 9;
            values[valuesById[10] = "SOURCE_PROTOCOL_IPFIX"] = 10;
            values[valuesById[11] = "SOURCE_PROTOCOL_PCAP"] = 11;
            values[valuesById[12] = "SOURCE_PROTOCOL_DISCOVERY"] = 12;
            values[valuesById[13] = "SOURCE_PROTOCOL_AGENT"] = 13;
            return values;
        })();

        v1.DeviceRef = (function() {

            /**
             * Properties of a DeviceRef.
             * @typedef {Object} amoskys.v1.DeviceRef.$Properties
             * @property {string|null} [namespace] DeviceRef namespace
             * @property {string|null} [name] DeviceRef name
             * @property {string|null} [address] DeviceRef address
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DeviceRef.
             * @memberof amoskys.v1
             * @interface IDeviceRef
             * @augments amoskys.v1.DeviceRef.$Properties
             * @deprecated Use amoskys.v1.DeviceRef.$Properties instead.
             */

            /**
             * Shape of a DeviceRef.
             * @typedef {amoskys.v1.DeviceRef.$Properties} amoskys.v1.DeviceRef.$Shape
             */

            /**
             * Constructs a new DeviceRef.
             * @memberof amoskys.v1
             * @classdesc Represents a DeviceRef.
             * @constructor
             * @param {amoskys.v1.DeviceRef.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DeviceRef = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DeviceRef namespace.
             * @member {string} namespace
             * @memberof amoskys.v1.DeviceRef
             * @instance
             */
            DeviceRef.prototype.namespace = "";

            /**
             * DeviceRef name.
             * @member {string} name
             * @memberof amoskys.v1.DeviceRef
             * @instance
             */
            DeviceRef.prototype.name = "";

            /**
             * DeviceRef address.
             * @member {string} address
             * @memberof amoskys.v1.DeviceRef
             * @instance
             */
            DeviceRef.prototype.address = "";

            /**
             * Creates a new DeviceRef instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {amoskys.v1.DeviceRef.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.DeviceRef} DeviceRef instance
             * @type {{
             *   (properties: amoskys.v1.DeviceRef.$Shape): amoskys.v1.DeviceRef & amoskys.v1.DeviceRef.$Shape;
             *   (properties?: amoskys.v1.DeviceRef.$Properties): amoskys.v1.DeviceRef;
             * }}
             */
            DeviceRef.create = function(properties) {
                return new DeviceRef(properties);
            };

            /**
             * Encodes the specified DeviceRef message. Does not implicitly {@link amoskys.v1.DeviceRef.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {amoskys.v1.DeviceRef.$Properties} message DeviceRef message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeviceRef.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace") && message.namespace !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.namespace);
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.name);
                if (message.address != null && $Object.hasOwnProperty.call(message, "address") && message.address !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.address);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DeviceRef message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.DeviceRef & amoskys.v1.DeviceRef.$Shape} DeviceRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeviceRef.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.DeviceRef();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.namespace = value;
                            else
                                delete message.namespace;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.address = value;
                            else
                                delete message.address;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a DeviceRef message.
             * @function verify
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            DeviceRef.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace"))
                    if (!$util.isString(message.namespace))
                        return "namespace: string expected";
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.address != null && $Object.hasOwnProperty.call(message, "address"))
                    if (!$util.isString(message.address))
                        return "address: string expected";
                return null;
            };

            /**
             * Creates a DeviceRef message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.DeviceRef} DeviceRef
             */
            DeviceRef.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.DeviceRef)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.DeviceRef: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.DeviceRef();
                if (object.namespace != null)
                    if (typeof object.namespace !== "string" || object.namespace.length)
                        message.namespace = $String(object.namespace);
                if (object.name != null)
                    if (typeof object.name !== "string" || object.name.length)
                        message.name = $String(object.name);
                if (object.address != null)
                    if (typeof object.address !== "string" || object.address.length)
                        message.address = $String(object.address);
                return message;
            };

            /**
             * Creates a plain object from a DeviceRef message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.DeviceRef
             * @static
             * @param {amoskys.v1.DeviceRef} message DeviceRef
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeviceRef.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.namespace = "";
                    object.name = "";
                    object.address = "";
                }
                if (message.namespace != null && $Object.hasOwnProperty.call(message, "namespace"))
                    object.namespace = message.namespace;
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.address != null && $Object.hasOwnProperty.call(message, "address"))
                    object.address = message.address;
                return object;
            };

            /**
             * Converts this DeviceRef to JSON.
             * @function toJSON
             * @memberof amoskys.v1.DeviceRef
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeviceRef.prototype.toJSON = function() {
                return DeviceRef.toObject(this, $protobuf.util.toJSONOptions);
            };

            return DeviceRef;
        })();

        v1.TelemetryEvent = (function() {

            /**
             * Properties of a TelemetryEvent.
             * @typedef {Object} amoskys.v1.TelemetryEvent.$Properties
             * @property {string|null} [id] TelemetryEvent id
             * @property {amoskys.v1.DeviceRef.$Properties|null} [device] TelemetryEvent device
             * @property {google.protobuf.Timestamp.$Properties|null} [observed] TelemetryEvent observed
             * @property {google.protobuf.Timestamp.$Properties|null} [collected] TelemetryEvent collected
             * @property {amoskys.v1.SourceProtocol|null} [source] TelemetryEvent source
             * @property {amoskys.v1.Metric.$Properties|null} [metric] TelemetryEvent metric
             * @property {amoskys.v1.LogRecord.$Properties|null} [log] TelemetryEvent log
             * @property {amoskys.v1.Trap.$Properties|null} [trap] TelemetryEvent trap
             * @property {amoskys.v1.Flow.$Properties|null} [flow] TelemetryEvent flow
             * @property {amoskys.v1.Status.$Properties|null} [status] TelemetryEvent status
             * @property {amoskys.v1.SecurityObservation.$Properties|null} [security] TelemetryEvent security
             * @property {amoskys.v1.ClinicalObservation.$Properties|null} [clinical] TelemetryEvent clinical
             * @property {amoskys.v1.Malformed.$Properties|null} [malformed] TelemetryEvent malformed
             * @property {amoskys.v1.WireEvent.$Properties|null} [wire] TelemetryEvent wire
             * @property {"metric"|"log"|"trap"|"flow"|"status"|"security"|"clinical"|"malformed"|"wire"} [body] TelemetryEvent body
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TelemetryEvent.
             * @memberof amoskys.v1
             * @interface ITelemetryEvent
             * @augments amoskys.v1.TelemetryEvent.$Properties
             * @deprecated Use amoskys.v1.TelemetryEvent.$Properties instead.
             */

            /**
             * Narrowed shape of a TelemetryEvent.
             * @typedef {{
             *   id?: string|null;
             *   device?: amoskys.v1.DeviceRef.$Shape|null;
             *   observed?: google.protobuf.Timestamp.$Shape|null;
             *   collected?: google.protobuf.Timestamp.$Shape|null;
             *   source?: amoskys.v1.SourceProtocol|null;
             *   metric?: amoskys.v1.Metric.$Shape|null;
             *   log?: amoskys.v1.LogRecord.$Shape|null;
             *   trap?: amoskys.v1.Trap.$Shape|null;
             *   flow?: amoskys.v1.Flow.$Shape|null;
             *   status?: amoskys.v1.Status.$Shape|null;
             *   security?: amoskys.v1.SecurityObservation.$Shape|null;
             *   clinical?: amoskys.v1.ClinicalObservation.$Shape|null;
             *   malformed?: amoskys.v1.Malformed.$Shape|null;
             *   wire?: amoskys.v1.WireEvent.$Shape|null;
             *   $unknowns?: Array.<Uint8Array>;
             * } & (
             *   ({ body?: undefined; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "metric"; metric: amoskys.v1.Metric.$Shape; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "log"; metric?: null; log: amoskys.v1.LogRecord.$Shape; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "trap"; metric?: null; log?: null; trap: amoskys.v1.Trap.$Shape; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "flow"; metric?: null; log?: null; trap?: null; flow: amoskys.v1.Flow.$Shape; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "status"; metric?: null; log?: null; trap?: null; flow?: null; status: amoskys.v1.Status.$Shape; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "security"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security: amoskys.v1.SecurityObservation.$Shape; clinical?: null; malformed?: null; wire?: null }|{ body?: "clinical"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical: amoskys.v1.ClinicalObservation.$Shape; malformed?: null; wire?: null }|{ body?: "malformed"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed: amoskys.v1.Malformed.$Shape; wire?: null }|{ body?: "wire"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire: amoskys.v1.WireEvent.$Shape })
             * )} amoskys.v1.TelemetryEvent.$Shape
             */

            /**
             * Constructs a new TelemetryEvent.
             * @memberof amoskys.v1
             * @classdesc Represents a TelemetryEvent.
             * @constructor
             * @param {amoskys.v1.TelemetryEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TelemetryEvent = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * TelemetryEvent id.
             * @member {string} id
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.id = "";

            /**
             * TelemetryEvent device.
             * @member {amoskys.v1.DeviceRef.$Properties|null|undefined} device
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.device = null;

            /**
             * TelemetryEvent observed.
             * @member {google.protobuf.Timestamp.$Properties|null|undefined} observed
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.observed = null;

            /**
             * TelemetryEvent collected.
             * @member {google.protobuf.Timestamp.$Properties|null|undefined} collected
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.collected = null;

            /**
             * TelemetryEvent source.
             * @member {amoskys.v1.SourceProtocol} source
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.source = 0;

            /**
             * TelemetryEvent metric.
             * @member {amoskys.v1.Metric.$Properties|null|undefined} metric
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.metric = null;

            /**
             * TelemetryEvent log.
             * @member {amoskys.v1.LogRecord.$Properties|null|undefined} log
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.log = null;

            /**
             * TelemetryEvent trap.
             * @member {amoskys.v1.Trap.$Properties|null|undefined} trap
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.trap = null;

            /**
             * TelemetryEvent flow.
             * @member {amoskys.v1.Flow.$Properties|null|undefined} flow
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.flow = null;

            /**
             * TelemetryEvent status.
             * @member {amoskys.v1.Status.$Properties|null|undefined} status
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.status = null;

            /**
             * TelemetryEvent security.
             * @member {amoskys.v1.SecurityObservation.$Properties|null|undefined} security
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.security = null;

            /**
             * TelemetryEvent clinical.
             * @member {amoskys.v1.ClinicalObservation.$Properties|null|undefined} clinical
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.clinical = null;

            /**
             * TelemetryEvent malformed.
             * @member {amoskys.v1.Malformed.$Properties|null|undefined} malformed
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.malformed = null;

            /**
             * TelemetryEvent wire.
             * @member {amoskys.v1.WireEvent.$Properties|null|undefined} wire
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            TelemetryEvent.prototype.wire = null;

            // OneOf field names bound to virtual getters and setters
            let $oneOfFields;

            /**
             * TelemetryEvent body.
             * @member {"metric"|"log"|"trap"|"flow"|"status"|"security"|"clinical"|"malformed"|"wire"|undefined} body
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             */
            $Object.defineProperty(TelemetryEvent.prototype, "body", {
                get: $util.oneOfGetter($oneOfFields = ["metric", "log", "trap", "flow", "status", "security", "clinical", "malformed", "wire"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            /**
             * Creates a new TelemetryEvent instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {amoskys.v1.TelemetryEvent.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.TelemetryEvent} TelemetryEvent instance
             * @type {{
             *   (properties: amoskys.v1.TelemetryEvent.$Shape): amoskys.v1.TelemetryEvent & amoskys.v1.TelemetryEvent.$Shape;
             *   (properties?: amoskys.v1.TelemetryEvent.$Properties): amoskys.v1.TelemetryEvent;
             * }}
             */
            TelemetryEvent.create = function(properties) {
                return new TelemetryEvent(properties);
            };

            /**
             * Encodes the specified TelemetryEvent message. Does not implicitly {@link amoskys.v1.TelemetryEvent.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {amoskys.v1.TelemetryEvent.$Properties} message TelemetryEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TelemetryEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.device != null && $Object.hasOwnProperty.call(message, "device"))
                    $root.amoskys.v1.DeviceRef.encode(message.device, writer.uint32(/* id 2, wireType 2 =*/18).fork(), _depth + 1).ldelim();
                if (message.observed != null && $Object.hasOwnProperty.call(message, "observed"))
                    $root.google.protobuf.Timestamp.encode(message.observed, writer.uint32(/* id 3, wireType 2 =*/26).fork(), _depth + 1).ldelim();
                if (message.collected != null && $Object.hasOwnProperty.call(message, "collected"))
                    $root.google.protobuf.Timestamp.encode(message.collected, writer.uint32(/* id 4, wireType 2 =*/34).fork(), _depth + 1).ldelim();
                if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.source);
                if (message.metric != null && $Object.hasOwnProperty.call(message, "metric"))
                    $root.amoskys.v1.Metric.encode(message.metric, writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.log != null && $Object.hasOwnProperty.call(message, "log"))
                    $root.amoskys.v1.LogRecord.encode(message.log, writer.uint32(/* id 11, wireType 2 =*/90).fork(), _depth + 1).ldelim();
                if (message.trap != null && $Object.hasOwnProperty.call(message, "trap"))
                    $root.amoskys.v1.Trap.encode(message.trap, writer.uint32(/* id 12, wireType 2 =*/98).fork(), _depth + 1).ldelim();
                if (message.flow != null && $Object.hasOwnProperty.call(message, "flow"))
                    $root.amoskys.v1.Flow.encode(message.flow, writer.uint32(/* id 13, wireType 2 =*/106).fork(), _depth + 1).ldelim();
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    $root.amoskys.v1.Status.encode(message.status, writer.uint32(/* id 14, wireType 2 =*/114).fork(), _depth + 1).ldelim();
                if (message.security != null && $Object.hasOwnProperty.call(message, "security"))
                    $root.amoskys.v1.SecurityObservation.encode(message.security, writer.uint32(/* id 15, wireType 2 =*/122).fork(), _depth + 1).ldelim();
                if (message.clinical != null && $Object.hasOwnProperty.call(message, "clinical"))
                    $root.amoskys.v1.ClinicalObservation.encode(message.clinical, writer.uint32(/* id 16, wireType 2 =*/130).fork(), _depth + 1).ldelim();
                if (message.malformed != null && $Object.hasOwnProperty.call(message, "malformed"))
                    $root.amoskys.v1.Malformed.encode(message.malformed, writer.uint32(/* id 17, wireType 2 =*/138).fork(), _depth + 1).ldelim();
                if (message.wire != null && $Object.hasOwnProperty.call(message, "wire"))
                    $root.amoskys.v1.WireEvent.encode(message.wire, writer.uint32(/* id 18, wireType 2 =*/146).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a TelemetryEvent message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.TelemetryEvent & amoskys.v1.TelemetryEvent.$Shape} TelemetryEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TelemetryEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.TelemetryEvent();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            message.device = $root.amoskys.v1.DeviceRef.decode(reader, reader.size(), $undefined, _depth + 1, message.device);
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            message.observed = $root.google.protobuf.Timestamp.decode(reader, reader.size(), $undefined, _depth + 1, message.observed);
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            message.collected = $root.google.protobuf.Timestamp.decode(reader, reader.size(), $undefined, _depth + 1, message.collected);
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.source = value;
                            else
                                delete message.source;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            message.metric = $root.amoskys.v1.Metric.decode(reader, reader.size(), $undefined, _depth + 1, message.metric);
                            message.body = "metric";
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            message.log = $root.amoskys.v1.LogRecord.decode(reader, reader.size(), $undefined, _depth + 1, message.log);
                            message.body = "log";
                            continue;
                        }
                    case 12: {
                            if (wireType !== 2)
                                break;
                            message.trap = $root.amoskys.v1.Trap.decode(reader, reader.size(), $undefined, _depth + 1, message.trap);
                            message.body = "trap";
                            continue;
                        }
                    case 13: {
                            if (wireType !== 2)
                                break;
                            message.flow = $root.amoskys.v1.Flow.decode(reader, reader.size(), $undefined, _depth + 1, message.flow);
                            message.body = "flow";
                            continue;
                        }
                    case 14: {
                            if (wireType !== 2)
                                break;
                            message.status = $root.amoskys.v1.Status.decode(reader, reader.size(), $undefined, _depth + 1, message.status);
                            message.body = "status";
                            continue;
                        }
                    case 15: {
                            if (wireType !== 2)
                                break;
                            message.security = $root.amoskys.v1.SecurityObservation.decode(reader, reader.size(), $undefined, _depth + 1, message.security);
                            message.body = "security";
                            continue;
                        }
                    case 16: {
                            if (wireType !== 2)
                                break;
                            message.clinical = $root.amoskys.v1.ClinicalObservation.decode(reader, reader.size(), $undefined, _depth + 1, message.clinical);
                            message.body = "clinical";
                            continue;
                        }
                    case 17: {
                            if (wireType !== 2)
                                break;
                            message.malformed = $root.amoskys.v1.Malformed.decode(reader, reader.size(), $undefined, _depth + 1, message.malformed);
                            message.body = "malformed";
                            continue;
                        }
                    case 18: {
                            if (wireType !== 2)
                                break;
                            message.wire = $root.amoskys.v1.WireEvent.decode(reader, reader.size(), $undefined, _depth + 1, message.wire);
                            message.body = "wire";
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a TelemetryEvent message.
             * @function verify
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            TelemetryEvent.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                let properties = {};
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    if (!$util.isString(message.id))
                        return "id: string expected";
                if (message.device != null && $Object.hasOwnProperty.call(message, "device")) {
                    let error = $root.amoskys.v1.DeviceRef.verify(message.device, _depth + 1);
                    if (error)
                        return "device." + error;
                }
                if (message.observed != null && $Object.hasOwnProperty.call(message, "observed")) {
                    let error = $root.google.protobuf.Timestamp.verify(message.observed, _depth + 1);
                    if (error)
                        return "observed." + error;
                }
                if (message.collected != null && $Object.hasOwnProperty.call(message, "collected")) {
                    let error = $root.google.protobuf.Timestamp.verify(message.collected, _depth + 1);
                    if (error)
                        return "collected." + error;
                }
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    if (typeof message.source !== "number" || (message.source | 0) !== message.source)
                        return "source: enum value expected";
                if (message.metric != null && $Object.hasOwnProperty.call(message, "metric")) {
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.Metric.verify(message.metric, _depth + 1);
                        if (error)
                            return "metric." + error;
                    }
                }
                if (message.log != null && $Object.hasOwnProperty.call(message, "log")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.LogRecord.verify(message.log, _depth + 1);
                        if (error)
                            return "log." + error;
                    }
                }
                if (message.trap != null && $Object.hasOwnProperty.call(message, "trap")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.Trap.verify(message.trap, _depth + 1);
                        if (error)
                            return "trap." + error;
                    }
                }
                if (message.flow != null && $Object.hasOwnProperty.call(message, "flow")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.Flow.verify(message.flow, _depth + 1);
                        if (error)
                            return "flow." + error;
                    }
                }
                if (message.status != null && $Object.hasOwnProperty.call(message, "status")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.Status.verify(message.status, _depth + 1);
                        if (error)
                            return "status." + error;
                    }
                }
                if (message.security != null && $Object.hasOwnProperty.call(message, "security")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.SecurityObservation.verify(message.security, _depth + 1);
                        if (error)
                            return "security." + error;
                    }
                }
                if (message.clinical != null && $Object.hasOwnProperty.call(message, "clinical")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.ClinicalObservation.verify(message.clinical, _depth + 1);
                        if (error)
                            return "clinical." + error;
                    }
                }
                if (message.malformed != null && $Object.hasOwnProperty.call(message, "malformed")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.Malformed.verify(message.malformed, _depth + 1);
                        if (error)
                            return "malformed." + error;
                    }
                }
                if (message.wire != null && $Object.hasOwnProperty.call(message, "wire")) {
                    if (properties.body === 1)
                        return "body: multiple values";
                    properties.body = 1;
                    {
                        let error = $root.amoskys.v1.WireEvent.verify(message.wire, _depth + 1);
                        if (error)
                            return "wire." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a TelemetryEvent message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.TelemetryEvent} TelemetryEvent
             */
            TelemetryEvent.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.TelemetryEvent)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.TelemetryEvent: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.TelemetryEvent();
                if (object.id != null)
                    if (typeof object.id !== "string" || object.id.length)
                        message.id = $String(object.id);
                if (object.device != null) {
                    if (!$util.isObject(object.device))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.device: object expected");
                    message.device = $root.amoskys.v1.DeviceRef.fromObject(object.device, _depth + 1);
                }
                if (object.observed != null) {
                    if (!$util.isObject(object.observed))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.observed: object expected");
                    message.observed = $root.google.protobuf.Timestamp.fromObject(object.observed, _depth + 1);
                }
                if (object.collected != null) {
                    if (!$util.isObject(object.collected))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.collected: object expected");
                    message.collected = $root.google.protobuf.Timestamp.fromObject(object.collected, _depth + 1);
                }
                if (object.source !== 0 && (typeof object.source !== "string" || $root.amoskys.v1.SourceProtocol[object.source] !== 0))
                    switch (object.source) {
                    case "SOURCE_PROTOCOL_UNSPECIFIED":
                    case 0:
                        message.source = 0;
                        break;
                    case "SOURCE_PROTOCOL_SNMP":
                    case 1:
                        message.source = 1;
                        break;
                    case "SOURCE_PROTOCOL_SNMP_TRAP":
                    case 2:
                        message.source = 2;
                        break;
                    case "SOURCE_PROTOCOL_MQTT":
                    case 3:
                        message.source = 3;
                        break;
                    case "SOURCE_PROTOCOL_SPARKPLUG_B":
                    case 4:
                        message.source = 4;
                        break;
                    case "SOURCE_PROTOCOL_MODBUS":
                    case 5:
                        message.source = 5;
                        break;
                    case "SOURCE_PROTOCOL_SYSLOG":
                    case 6:
                        message.source = 6;
                        break;
                    case "SOURCE_PROTOCOL_HL7":
                    case 7:
                        message.source = 7;
                        break;
                    case "SOURCE_PROTOCOL_FHIR":
                    case 8:
                        message.source = 8;
                        break;
                    case "SOURCE_PROTOCOL_NETFLOW":
                    case 9:
                        message.source = 9;
                        break;
                    case "SOURCE_PROTOCOL_IPFIX":
                    case 10:
                        message.source = 10;
                        break;
                    case "SOURCE_PROTOCOL_PCAP":
                    case 11:
                        message.source = 11;
                        break;
                    case "SOURCE_PROTOCOL_DISCOVERY":
                    case 12:
                        message.source = 12;
                        break;
                    case "SOURCE_PROTOCOL_AGENT":
                    case 13:
                        message.source = 13;
                        break;
                    default:
                        if (typeof object.source === "number" && (object.source | 0) === object.source)
                            message.source = object.source;
                    }
                if (object.metric != null) {
                    if (!$util.isObject(object.metric))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.metric: object expected");
                    message.metric = $root.amoskys.v1.Metric.fromObject(object.metric, _depth + 1);
                }
                if (object.log != null) {
                    if (!$util.isObject(object.log))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.log: object expected");
                    message.log = $root.amoskys.v1.LogRecord.fromObject(object.log, _depth + 1);
                }
                if (object.trap != null) {
                    if (!$util.isObject(object.trap))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.trap: object expected");
                    message.trap = $root.amoskys.v1.Trap.fromObject(object.trap, _depth + 1);
                }
                if (object.flow != null) {
                    if (!$util.isObject(object.flow))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.flow: object expected");
                    message.flow = $root.amoskys.v1.Flow.fromObject(object.flow, _depth + 1);
                }
                if (object.status != null) {
                    if (!$util.isObject(object.status))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.status: object expected");
                    message.status = $root.amoskys.v1.Status.fromObject(object.status, _depth + 1);
                }
                if (object.security != null) {
                    if (!$util.isObject(object.security))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.security: object expected");
                    message.security = $root.amoskys.v1.SecurityObservation.fromObject(object.security, _depth + 1);
                }
                if (object.clinical != null) {
                    if (!$util.isObject(object.clinical))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.clinical: object expected");
                    message.clinical = $root.amoskys.v1.ClinicalObservation.fromObject(object.clinical, _depth + 1);
                }
                if (object.malformed != null) {
                    if (!$util.isObject(object.malformed))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.malformed: object expected");
                    message.malformed = $root.amoskys.v1.Malformed.fromObject(object.malformed, _depth + 1);
                }
                if (object.wire != null) {
                    if (!$util.isObject(object.wire))
                        throw $TypeError(".amoskys.v1.TelemetryEvent.wire: object expected");
                    message.wire = $root.amoskys.v1.WireEvent.fromObject(object.wire, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a TelemetryEvent message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.TelemetryEvent
             * @static
             * @param {amoskys.v1.TelemetryEvent} message TelemetryEvent
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TelemetryEvent.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.id = "";
                    object.device = null;
                    object.observed = null;
                    object.collected = null;
                    object.source = options.enums === $String ? "SOURCE_PROTOCOL_UNSPECIFIED" : 0;
                }
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.device != null && $Object.hasOwnProperty.call(message, "device"))
                    object.device = $root.amoskys.v1.DeviceRef.toObject(message.device, options, _depth + 1);
                if (message.observed != null && $Object.hasOwnProperty.call(message, "observed"))
                    object.observed = $root.google.protobuf.Timestamp.toObject(message.observed, options, _depth + 1);
                if (message.collected != null && $Object.hasOwnProperty.call(message, "collected"))
                    object.collected = $root.google.protobuf.Timestamp.toObject(message.collected, options, _depth + 1);
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    object.source = options.enums === $String ? $root.amoskys.v1.SourceProtocol[message.source] === $undefined ? message.source : $root.amoskys.v1.SourceProtocol[message.source] : message.source;
                if (message.metric != null && $Object.hasOwnProperty.call(message, "metric")) {
                    object.metric = $root.amoskys.v1.Metric.toObject(message.metric, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "metric";
                }
                if (message.log != null && $Object.hasOwnProperty.call(message, "log")) {
                    object.log = $root.amoskys.v1.LogRecord.toObject(message.log, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "log";
                }
                if (message.trap != null && $Object.hasOwnProperty.call(message, "trap")) {
                    object.trap = $root.amoskys.v1.Trap.toObject(message.trap, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "trap";
                }
                if (message.flow != null && $Object.hasOwnProperty.call(message, "flow")) {
                    object.flow = $root.amoskys.v1.Flow.toObject(message.flow, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "flow";
                }
                if (message.status != null && $Object.hasOwnProperty.call(message, "status")) {
                    object.status = $root.amoskys.v1.Status.toObject(message.status, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "status";
                }
                if (message.security != null && $Object.hasOwnProperty.call(message, "security")) {
                    object.security = $root.amoskys.v1.SecurityObservation.toObject(message.security, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "security";
                }
                if (message.clinical != null && $Object.hasOwnProperty.call(message, "clinical")) {
                    object.clinical = $root.amoskys.v1.ClinicalObservation.toObject(message.clinical, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "clinical";
                }
                if (message.malformed != null && $Object.hasOwnProperty.call(message, "malformed")) {
                    object.malformed = $root.amoskys.v1.Malformed.toObject(message.malformed, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "malformed";
                }
                if (message.wire != null && $Object.hasOwnProperty.call(message, "wire")) {
                    object.wire = $root.amoskys.v1.WireEvent.toObject(message.wire, options, _depth + 1);
                    if (options.oneofs)
                        object.body = "wire";
                }
                return object;
            };

            /**
             * Converts this TelemetryEvent to JSON.
             * @function toJSON
             * @memberof amoskys.v1.TelemetryEvent
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TelemetryEvent.prototype.toJSON = function() {
                return TelemetryEvent.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TelemetryEvent;
        })();

        /**
         * MetricKind enum.
         * @name amoskys.v1.MetricKind
         * @enum {number}
         * @property {number} METRIC_KIND_UNSPECIFIED=0 METRIC_KIND_UNSPECIFIED value
         * @property {number} METRIC_KIND_GAUGE=1 METRIC_KIND_GAUGE value
         * @property {number} METRIC_KIND_COUNTER=2 METRIC_KIND_COUNTER value
         * @property {number} METRIC_KIND_RATE=3 METRIC_KIND_RATE value
         */
        v1.MetricKind = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "METRIC_KIND_UNSPECIFIED"] = 0;
            values[valuesById[1] = "METRIC_KIND_GAUGE"] = 1;
            values[valuesById[2] = "METRIC_KIND_COUNTER"] = 2;
            values[valuesById[3] = "METRIC_KIND_RATE"] = 3;
            return values;
        })();

        v1.Metric = (function() {

            /**
             * Properties of a Metric.
             * @typedef {Object} amoskys.v1.Metric.$Properties
             * @property {string|null} [name] Metric name
             * @property {number|null} [value] Metric value
             * @property {string|null} [unit] Metric unit
             * @property {amoskys.v1.MetricKind|null} [kind] Metric kind
             * @property {Object.<string,string>|null} [labels] Metric labels
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Metric.
             * @memberof amoskys.v1
             * @interface IMetric
             * @augments amoskys.v1.Metric.$Properties
             * @deprecated Use amoskys.v1.Metric.$Properties instead.
             */

            /**
             * Shape of a Metric.
             * @typedef {amoskys.v1.Metric.$Properties} amoskys.v1.Metric.$Shape
             */

            /**
             * Constructs a new Metric.
             * @memberof amoskys.v1
             * @classdesc Represents a Metric.
             * @constructor
             * @param {amoskys.v1.Metric.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Metric = function (properties) {
                this.labels = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Metric name.
             * @member {string} name
             * @memberof amoskys.v1.Metric
             * @instance
             */
            Metric.prototype.name = "";

            /**
             * Metric value.
             * @member {number} value
             * @memberof amoskys.v1.Metric
             * @instance
             */
            Metric.prototype.value = 0;

            /**
             * Metric unit.
             * @member {string} unit
             * @memberof amoskys.v1.Metric
             * @instance
             */
            Metric.prototype.unit = "";

            /**
             * Metric kind.
             * @member {amoskys.v1.MetricKind} kind
             * @memberof amoskys.v1.Metric
             * @instance
             */
            Metric.prototype.kind = 0;

            /**
             * Metric labels.
             * @member {Object.<string,string>} labels
             * @memberof amoskys.v1.Metric
             * @instance
             */
            Metric.prototype.labels = $util.emptyObject;

            /**
             * Creates a new Metric instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Metric
             * @static
             * @param {amoskys.v1.Metric.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Metric} Metric instance
             * @type {{
             *   (properties: amoskys.v1.Metric.$Shape): amoskys.v1.Metric & amoskys.v1.Metric.$Shape;
             *   (properties?: amoskys.v1.Metric.$Properties): amoskys.v1.Metric;
             * }}
             */
            Metric.create = function(properties) {
                return new Metric(properties);
            };

            /**
             * Encodes the specified Metric message. Does not implicitly {@link amoskys.v1.Metric.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Metric
             * @static
             * @param {amoskys.v1.Metric.$Properties} message Metric message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Metric.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.name != null && $Object.hasOwnProperty.call(message, "name") && message.name !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.name);
                if (message.value != null && $Object.hasOwnProperty.call(message, "value") && !$Object.is(message.value, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.value);
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit") && message.unit !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.unit);
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.kind);
                if (message.labels != null && $Object.hasOwnProperty.call(message, "labels"))
                    for (let keys = $Object.keys(message.labels), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 5, wireType 2 =*/42).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.labels[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Metric message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Metric
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Metric & amoskys.v1.Metric.$Shape} Metric
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Metric.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Metric();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.name = value;
                            else
                                delete message.name;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.value = value;
                            else
                                delete message.value;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.unit = value;
                            else
                                delete message.unit;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if (message.labels === $util.emptyObject)
                                message.labels = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.labels, key);
                            message.labels[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Metric message.
             * @function verify
             * @memberof amoskys.v1.Metric
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Metric.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    if (!$util.isString(message.name))
                        return "name: string expected";
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    if (typeof message.value !== "number")
                        return "value: number expected";
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit"))
                    if (!$util.isString(message.unit))
                        return "unit: string expected";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (typeof message.kind !== "number" || (message.kind | 0) !== message.kind)
                        return "kind: enum value expected";
                if (message.labels != null && $Object.hasOwnProperty.call(message, "labels")) {
                    if (!$util.isObject(message.labels))
                        return "labels: object expected";
                    let key = $Object.keys(message.labels);
                    for (let i = 0; i < key.length; ++i)
                        if (!$util.isString(message.labels[key[i]]))
                            return "labels: string{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a Metric message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Metric
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Metric} Metric
             */
            Metric.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Metric)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Metric: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Metric();
                if (object.name != null)
                    if (typeof object.name !== "string" || object.name.length)
                        message.name = $String(object.name);
                if (object.value != null)
                    if (!$Object.is($Number(object.value), 0))
                        message.value = $Number(object.value);
                if (object.unit != null)
                    if (typeof object.unit !== "string" || object.unit.length)
                        message.unit = $String(object.unit);
                if (object.kind !== 0 && (typeof object.kind !== "string" || $root.amoskys.v1.MetricKind[object.kind] !== 0))
                    switch (object.kind) {
                    case "METRIC_KIND_UNSPECIFIED":
                    case 0:
                        message.kind = 0;
                        break;
                    case "METRIC_KIND_GAUGE":
                    case 1:
                        message.kind = 1;
                        break;
                    case "METRIC_KIND_COUNTER":
                    case 2:
                        message.kind = 2;
                        break;
                    case "METRIC_KIND_RATE":
                    case 3:
                        message.kind = 3;
                        break;
                    default:
                        if (typeof object.kind === "number" && (object.kind | 0) === object.kind)
                            message.kind = object.kind;
                    }
                if (object.labels) {
                    if (!$util.isObject(object.labels))
                        throw $TypeError(".amoskys.v1.Metric.labels: object expected");
                    message.labels = {};
                    for (let keys = $Object.keys(object.labels), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.labels, keys[i]);
                        message.labels[keys[i]] = $String(object.labels[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a Metric message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Metric
             * @static
             * @param {amoskys.v1.Metric} message Metric
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Metric.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.objects || options.defaults)
                    object.labels = {};
                if (options.defaults) {
                    object.name = "";
                    object.value = 0;
                    object.unit = "";
                    object.kind = options.enums === $String ? "METRIC_KIND_UNSPECIFIED" : 0;
                }
                if (message.name != null && $Object.hasOwnProperty.call(message, "name"))
                    object.name = message.name;
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    object.value = options.json && !$isFinite(message.value) ? $String(message.value) : message.value;
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit"))
                    object.unit = message.unit;
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = options.enums === $String ? $root.amoskys.v1.MetricKind[message.kind] === $undefined ? message.kind : $root.amoskys.v1.MetricKind[message.kind] : message.kind;
                let keys2;
                if (message.labels && (keys2 = $Object.keys(message.labels)).length) {
                    object.labels = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.labels, keys2[j]);
                        object.labels[keys2[j]] = message.labels[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this Metric to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Metric
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Metric.prototype.toJSON = function() {
                return Metric.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Metric;
        })();

        /**
         * SyslogFormat enum.
         * @name amoskys.v1.SyslogFormat
         * @enum {number}
         * @property {number} SYSLOG_FORMAT_UNSPECIFIED=0 SYSLOG_FORMAT_UNSPECIFIED value
         * @property {number} SYSLOG_FORMAT_RFC5424=1 SYSLOG_FORMAT_RFC5424 value
         * @property {number} SYSLOG_FORMAT_RFC3164=2 SYSLOG_FORMAT_RFC3164 value
         * @property {number} SYSLOG_FORMAT_RAW=3 SYSLOG_FORMAT_RAW value
         */
        v1.SyslogFormat = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "SYSLOG_FORMAT_UNSPECIFIED"] = 0;
            values[valuesById[1] = "SYSLOG_FORMAT_RFC5424"] = 1;
            values[valuesById[2] = "SYSLOG_FORMAT_RFC3164"] = 2;
            values[valuesById[3] = "SYSLOG_FORMAT_RAW"] = 3;
            return values;
        })();

        v1.StructuredDataElement = (function() {

            /**
             * Properties of a StructuredDataElement.
             * @typedef {Object} amoskys.v1.StructuredDataElement.$Properties
             * @property {string|null} [id] StructuredDataElement id
             * @property {Object.<string,string>|null} [params] StructuredDataElement params
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a StructuredDataElement.
             * @memberof amoskys.v1
             * @interface IStructuredDataElement
             * @augments amoskys.v1.StructuredDataElement.$Properties
             * @deprecated Use amoskys.v1.StructuredDataElement.$Properties instead.
             */

            /**
             * Shape of a StructuredDataElement.
             * @typedef {amoskys.v1.StructuredDataElement.$Properties} amoskys.v1.StructuredDataElement.$Shape
             */

            /**
             * Constructs a new StructuredDataElement.
             * @memberof amoskys.v1
             * @classdesc Represents a StructuredDataElement.
             * @constructor
             * @param {amoskys.v1.StructuredDataElement.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const StructuredDataElement = function (properties) {
                this.params = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * StructuredDataElement id.
             * @member {string} id
             * @memberof amoskys.v1.StructuredDataElement
             * @instance
             */
            StructuredDataElement.prototype.id = "";

            /**
             * StructuredDataElement params.
             * @member {Object.<string,string>} params
             * @memberof amoskys.v1.StructuredDataElement
             * @instance
             */
            StructuredDataElement.prototype.params = $util.emptyObject;

            /**
             * Creates a new StructuredDataElement instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {amoskys.v1.StructuredDataElement.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.StructuredDataElement} StructuredDataElement instance
             * @type {{
             *   (properties: amoskys.v1.StructuredDataElement.$Shape): amoskys.v1.StructuredDataElement & amoskys.v1.StructuredDataElement.$Shape;
             *   (properties?: amoskys.v1.StructuredDataElement.$Properties): amoskys.v1.StructuredDataElement;
             * }}
             */
            StructuredDataElement.create = function(properties) {
                return new StructuredDataElement(properties);
            };

            /**
             * Encodes the specified StructuredDataElement message. Does not implicitly {@link amoskys.v1.StructuredDataElement.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {amoskys.v1.StructuredDataElement.$Properties} message StructuredDataElement message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            StructuredDataElement.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.params != null && $Object.hasOwnProperty.call(message, "params"))
                    for (let keys = $Object.keys(message.params), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 2, wireType 2 =*/18).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.params[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a StructuredDataElement message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.StructuredDataElement & amoskys.v1.StructuredDataElement.$Shape} StructuredDataElement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            StructuredDataElement.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.StructuredDataElement();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if (message.params === $util.emptyObject)
                                message.params = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.params, key);
                            message.params[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a StructuredDataElement message.
             * @function verify
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            StructuredDataElement.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    if (!$util.isString(message.id))
                        return "id: string expected";
                if (message.params != null && $Object.hasOwnProperty.call(message, "params")) {
                    if (!$util.isObject(message.params))
                        return "params: object expected";
                    let key = $Object.keys(message.params);
                    for (let i = 0; i < key.length; ++i)
                        if (!$util.isString(message.params[key[i]]))
                            return "params: string{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a StructuredDataElement message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.StructuredDataElement} StructuredDataElement
             */
            StructuredDataElement.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.StructuredDataElement)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.StructuredDataElement: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.StructuredDataElement();
                if (object.id != null)
                    if (typeof object.id !== "string" || object.id.length)
                        message.id = $String(object.id);
                if (object.params) {
                    if (!$util.isObject(object.params))
                        throw $TypeError(".amoskys.v1.StructuredDataElement.params: object expected");
                    message.params = {};
                    for (let keys = $Object.keys(object.params), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.params, keys[i]);
                        message.params[keys[i]] = $String(object.params[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a StructuredDataElement message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.StructuredDataElement
             * @static
             * @param {amoskys.v1.StructuredDataElement} message StructuredDataElement
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            StructuredDataElement.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.objects || options.defaults)
                    object.params = {};
                if (options.defaults)
                    object.id = "";
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                let keys2;
                if (message.params && (keys2 = $Object.keys(message.params)).length) {
                    object.params = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.params, keys2[j]);
                        object.params[keys2[j]] = message.params[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this StructuredDataElement to JSON.
             * @function toJSON
             * @memberof amoskys.v1.StructuredDataElement
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            StructuredDataElement.prototype.toJSON = function() {
                return StructuredDataElement.toObject(this, $protobuf.util.toJSONOptions);
            };

            return StructuredDataElement;
        })();

        v1.LogRecord = (function() {

            /**
             * Properties of a LogRecord.
             * @typedef {Object} amoskys.v1.LogRecord.$Properties
             * @property {amoskys.v1.SyslogFormat|null} [format] LogRecord format
             * @property {number|null} [facility] LogRecord facility
             * @property {number|null} [severity] LogRecord severity
             * @property {string|null} [hostname] LogRecord hostname
             * @property {string|null} [appName] LogRecord appName
             * @property {string|null} [procId] LogRecord procId
             * @property {string|null} [msgId] LogRecord msgId
             * @property {Array.<amoskys.v1.StructuredDataElement.$Properties>|null} [structuredData] LogRecord structuredData
             * @property {string|null} [message] LogRecord message
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a LogRecord.
             * @memberof amoskys.v1
             * @interface ILogRecord
             * @augments amoskys.v1.LogRecord.$Properties
             * @deprecated Use amoskys.v1.LogRecord.$Properties instead.
             */

            /**
             * Shape of a LogRecord.
             * @typedef {amoskys.v1.LogRecord.$Properties} amoskys.v1.LogRecord.$Shape
             */

            /**
             * Constructs a new LogRecord.
             * @memberof amoskys.v1
             * @classdesc Represents a LogRecord.
             * @constructor
             * @param {amoskys.v1.LogRecord.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const LogRecord = function (properties) {
                this.structuredData = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * LogRecord format.
             * @member {amoskys.v1.SyslogFormat} format
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.format = 0;

            /**
             * LogRecord facility.
             * @member {number} facility
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.facility = 0;

            /**
             * LogRecord severity.
             * @member {number} severity
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.severity = 0;

            /**
             * LogRecord hostname.
             * @member {string} hostname
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.hostname = "";

            /**
             * LogRecord appName.
             * @member {string} appName
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.appName = "";

            /**
             * LogRecord procId.
             * @member {string} procId
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.procId = "";

            /**
             * LogRecord msgId.
             * @member {string} msgId
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.msgId = "";

            /**
             * LogRecord structuredData.
             * @member {Array.<amoskys.v1.StructuredDataElement.$Properties>} structuredData
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.structuredData = $util.emptyArray;

            /**
             * LogRecord message.
             * @member {string} message
             * @memberof amoskys.v1.LogRecord
             * @instance
             */
            LogRecord.prototype.message = "";

            /**
             * Creates a new LogRecord instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {amoskys.v1.LogRecord.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.LogRecord} LogRecord instance
             * @type {{
             *   (properties: amoskys.v1.LogRecord.$Shape): amoskys.v1.LogRecord & amoskys.v1.LogRecord.$Shape;
             *   (properties?: amoskys.v1.LogRecord.$Properties): amoskys.v1.LogRecord;
             * }}
             */
            LogRecord.create = function(properties) {
                return new LogRecord(properties);
            };

            /**
             * Encodes the specified LogRecord message. Does not implicitly {@link amoskys.v1.LogRecord.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {amoskys.v1.LogRecord.$Properties} message LogRecord message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            LogRecord.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.format != null && $Object.hasOwnProperty.call(message, "format") && message.format !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.format);
                if (message.facility != null && $Object.hasOwnProperty.call(message, "facility") && message.facility !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.facility);
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity") && message.severity !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.severity);
                if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname") && message.hostname !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.hostname);
                if (message.appName != null && $Object.hasOwnProperty.call(message, "appName") && message.appName !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.appName);
                if (message.procId != null && $Object.hasOwnProperty.call(message, "procId") && message.procId !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.procId);
                if (message.msgId != null && $Object.hasOwnProperty.call(message, "msgId") && message.msgId !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.msgId);
                if (message.structuredData != null && message.structuredData.length)
                    for (let i = 0; i < message.structuredData.length; ++i)
                        $root.amoskys.v1.StructuredDataElement.encode(message.structuredData[i], writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.message);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a LogRecord message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.LogRecord & amoskys.v1.LogRecord.$Shape} LogRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            LogRecord.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.LogRecord();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.format = value;
                            else
                                delete message.format;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.facility = value;
                            else
                                delete message.facility;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.severity = value;
                            else
                                delete message.severity;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.hostname = value;
                            else
                                delete message.hostname;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.appName = value;
                            else
                                delete message.appName;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.procId = value;
                            else
                                delete message.procId;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.msgId = value;
                            else
                                delete message.msgId;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if (!(message.structuredData && message.structuredData.length))
                                message.structuredData = [];
                            message.structuredData.push($root.amoskys.v1.StructuredDataElement.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a LogRecord message.
             * @function verify
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            LogRecord.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.format != null && $Object.hasOwnProperty.call(message, "format"))
                    if (typeof message.format !== "number" || (message.format | 0) !== message.format)
                        return "format: enum value expected";
                if (message.facility != null && $Object.hasOwnProperty.call(message, "facility"))
                    if (!$util.isInteger(message.facility))
                        return "facility: integer expected";
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity"))
                    if (!$util.isInteger(message.severity))
                        return "severity: integer expected";
                if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname"))
                    if (!$util.isString(message.hostname))
                        return "hostname: string expected";
                if (message.appName != null && $Object.hasOwnProperty.call(message, "appName"))
                    if (!$util.isString(message.appName))
                        return "appName: string expected";
                if (message.procId != null && $Object.hasOwnProperty.call(message, "procId"))
                    if (!$util.isString(message.procId))
                        return "procId: string expected";
                if (message.msgId != null && $Object.hasOwnProperty.call(message, "msgId"))
                    if (!$util.isString(message.msgId))
                        return "msgId: string expected";
                if (message.structuredData != null && $Object.hasOwnProperty.call(message, "structuredData")) {
                    if (!$Array.isArray(message.structuredData))
                        return "structuredData: array expected";
                    for (let i = 0; i < message.structuredData.length; ++i) {
                        let error = $root.amoskys.v1.StructuredDataElement.verify(message.structuredData[i], _depth + 1);
                        if (error)
                            return "structuredData." + error;
                    }
                }
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                return null;
            };

            /**
             * Creates a LogRecord message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.LogRecord} LogRecord
             */
            LogRecord.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.LogRecord)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.LogRecord: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.LogRecord();
                if (object.format !== 0 && (typeof object.format !== "string" || $root.amoskys.v1.SyslogFormat[object.format] !== 0))
                    switch (object.format) {
                    case "SYSLOG_FORMAT_UNSPECIFIED":
                    case 0:
                        message.format = 0;
                        break;
                    case "SYSLOG_FORMAT_RFC5424":
                    case 1:
                        message.format = 1;
                        break;
                    case "SYSLOG_FORMAT_RFC3164":
                    case 2:
                        message.format = 2;
                        break;
                    case "SYSLOG_FORMAT_RAW":
                    case 3:
                        message.format = 3;
                        break;
                    default:
                        if (typeof object.format === "number" && (object.format | 0) === object.format)
                            message.format = object.format;
                    }
                if (object.facility != null)
                    if ($Number(object.facility) !== 0)
                        message.facility = object.facility >>> 0;
                if (object.severity != null)
                    if ($Number(object.severity) !== 0)
                        message.severity = object.severity >>> 0;
                if (object.hostname != null)
                    if (typeof object.hostname !== "string" || object.hostname.length)
                        message.hostname = $String(object.hostname);
                if (object.appName != null)
                    if (typeof object.appName !== "string" || object.appName.length)
                        message.appName = $String(object.appName);
                if (object.procId != null)
                    if (typeof object.procId !== "string" || object.procId.length)
                        message.procId = $String(object.procId);
                if (object.msgId != null)
                    if (typeof object.msgId !== "string" || object.msgId.length)
                        message.msgId = $String(object.msgId);
                if (object.structuredData) {
                    if (!$Array.isArray(object.structuredData))
                        throw $TypeError(".amoskys.v1.LogRecord.structuredData: array expected");
                    message.structuredData = $Array(object.structuredData.length);
                    for (let i = 0; i < object.structuredData.length; ++i) {
                        if (!$util.isObject(object.structuredData[i]))
                            throw $TypeError(".amoskys.v1.LogRecord.structuredData: object expected");
                        message.structuredData[i] = $root.amoskys.v1.StructuredDataElement.fromObject(object.structuredData[i], _depth + 1);
                    }
                }
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                return message;
            };

            /**
             * Creates a plain object from a LogRecord message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.LogRecord
             * @static
             * @param {amoskys.v1.LogRecord} message LogRecord
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            LogRecord.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.structuredData = [];
                if (options.defaults) {
                    object.format = options.enums === $String ? "SYSLOG_FORMAT_UNSPECIFIED" : 0;
                    object.facility = 0;
                    object.severity = 0;
                    object.hostname = "";
                    object.appName = "";
                    object.procId = "";
                    object.msgId = "";
                    object.message = "";
                }
                if (message.format != null && $Object.hasOwnProperty.call(message, "format"))
                    object.format = options.enums === $String ? $root.amoskys.v1.SyslogFormat[message.format] === $undefined ? message.format : $root.amoskys.v1.SyslogFormat[message.format] : message.format;
                if (message.facility != null && $Object.hasOwnProperty.call(message, "facility"))
                    object.facility = message.facility;
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity"))
                    object.severity = message.severity;
                if (message.hostname != null && $Object.hasOwnProperty.call(message, "hostname"))
                    object.hostname = message.hostname;
                if (message.appName != null && $Object.hasOwnProperty.call(message, "appName"))
                    object.appName = message.appName;
                if (message.procId != null && $Object.hasOwnProperty.call(message, "procId"))
                    object.procId = message.procId;
                if (message.msgId != null && $Object.hasOwnProperty.call(message, "msgId"))
                    object.msgId = message.msgId;
                if (message.structuredData && message.structuredData.length) {
                    object.structuredData = $Array(message.structuredData.length);
                    for (let j = 0; j < message.structuredData.length; ++j)
                        object.structuredData[j] = $root.amoskys.v1.StructuredDataElement.toObject(message.structuredData[j], options, _depth + 1);
                }
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                return object;
            };

            /**
             * Converts this LogRecord to JSON.
             * @function toJSON
             * @memberof amoskys.v1.LogRecord
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            LogRecord.prototype.toJSON = function() {
                return LogRecord.toObject(this, $protobuf.util.toJSONOptions);
            };

            return LogRecord;
        })();

        v1.Varbind = (function() {

            /**
             * Properties of a Varbind.
             * @typedef {Object} amoskys.v1.Varbind.$Properties
             * @property {string|null} [oid] Varbind oid
             * @property {string|null} [type] Varbind type
             * @property {string|null} [value] Varbind value
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Varbind.
             * @memberof amoskys.v1
             * @interface IVarbind
             * @augments amoskys.v1.Varbind.$Properties
             * @deprecated Use amoskys.v1.Varbind.$Properties instead.
             */

            /**
             * Shape of a Varbind.
             * @typedef {amoskys.v1.Varbind.$Properties} amoskys.v1.Varbind.$Shape
             */

            /**
             * Constructs a new Varbind.
             * @memberof amoskys.v1
             * @classdesc Represents a Varbind.
             * @constructor
             * @param {amoskys.v1.Varbind.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Varbind = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Varbind oid.
             * @member {string} oid
             * @memberof amoskys.v1.Varbind
             * @instance
             */
            Varbind.prototype.oid = "";

            /**
             * Varbind type.
             * @member {string} type
             * @memberof amoskys.v1.Varbind
             * @instance
             */
            Varbind.prototype.type = "";

            /**
             * Varbind value.
             * @member {string} value
             * @memberof amoskys.v1.Varbind
             * @instance
             */
            Varbind.prototype.value = "";

            /**
             * Creates a new Varbind instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {amoskys.v1.Varbind.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Varbind} Varbind instance
             * @type {{
             *   (properties: amoskys.v1.Varbind.$Shape): amoskys.v1.Varbind & amoskys.v1.Varbind.$Shape;
             *   (properties?: amoskys.v1.Varbind.$Properties): amoskys.v1.Varbind;
             * }}
             */
            Varbind.create = function(properties) {
                return new Varbind(properties);
            };

            /**
             * Encodes the specified Varbind message. Does not implicitly {@link amoskys.v1.Varbind.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {amoskys.v1.Varbind.$Properties} message Varbind message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Varbind.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.oid != null && $Object.hasOwnProperty.call(message, "oid") && message.oid !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.oid);
                if (message.type != null && $Object.hasOwnProperty.call(message, "type") && message.type !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.type);
                if (message.value != null && $Object.hasOwnProperty.call(message, "value") && message.value !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.value);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Varbind message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Varbind & amoskys.v1.Varbind.$Shape} Varbind
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Varbind.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Varbind();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.oid = value;
                            else
                                delete message.oid;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.type = value;
                            else
                                delete message.type;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.value = value;
                            else
                                delete message.value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Varbind message.
             * @function verify
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Varbind.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.oid != null && $Object.hasOwnProperty.call(message, "oid"))
                    if (!$util.isString(message.oid))
                        return "oid: string expected";
                if (message.type != null && $Object.hasOwnProperty.call(message, "type"))
                    if (!$util.isString(message.type))
                        return "type: string expected";
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    if (!$util.isString(message.value))
                        return "value: string expected";
                return null;
            };

            /**
             * Creates a Varbind message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Varbind} Varbind
             */
            Varbind.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Varbind)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Varbind: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Varbind();
                if (object.oid != null)
                    if (typeof object.oid !== "string" || object.oid.length)
                        message.oid = $String(object.oid);
                if (object.type != null)
                    if (typeof object.type !== "string" || object.type.length)
                        message.type = $String(object.type);
                if (object.value != null)
                    if (typeof object.value !== "string" || object.value.length)
                        message.value = $String(object.value);
                return message;
            };

            /**
             * Creates a plain object from a Varbind message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Varbind
             * @static
             * @param {amoskys.v1.Varbind} message Varbind
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Varbind.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.oid = "";
                    object.type = "";
                    object.value = "";
                }
                if (message.oid != null && $Object.hasOwnProperty.call(message, "oid"))
                    object.oid = message.oid;
                if (message.type != null && $Object.hasOwnProperty.call(message, "type"))
                    object.type = message.type;
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    object.value = message.value;
                return object;
            };

            /**
             * Converts this Varbind to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Varbind
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Varbind.prototype.toJSON = function() {
                return Varbind.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Varbind;
        })();

        v1.Trap = (function() {

            /**
             * Properties of a Trap.
             * @typedef {Object} amoskys.v1.Trap.$Properties
             * @property {string|null} [version] Trap version
             * @property {boolean|null} [inform] Trap inform
             * @property {string|null} [trapOid] Trap trapOid
             * @property {string|null} [enterprise] Trap enterprise
             * @property {string|null} [agentAddress] Trap agentAddress
             * @property {number|null} [genericTrap] Trap genericTrap
             * @property {number|null} [specificTrap] Trap specificTrap
             * @property {number|null} [uptime] Trap uptime
             * @property {string|null} [securityName] Trap securityName
             * @property {Array.<amoskys.v1.Varbind.$Properties>|null} [varbinds] Trap varbinds
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Trap.
             * @memberof amoskys.v1
             * @interface ITrap
             * @augments amoskys.v1.Trap.$Properties
             * @deprecated Use amoskys.v1.Trap.$Properties instead.
             */

            /**
             * Shape of a Trap.
             * @typedef {amoskys.v1.Trap.$Properties} amoskys.v1.Trap.$Shape
             */

            /**
             * Constructs a new Trap.
             * @memberof amoskys.v1
             * @classdesc Represents a Trap.
             * @constructor
             * @param {amoskys.v1.Trap.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Trap = function (properties) {
                this.varbinds = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Trap version.
             * @member {string} version
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.version = "";

            /**
             * Trap inform.
             * @member {boolean} inform
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.inform = false;

            /**
             * Trap trapOid.
             * @member {string} trapOid
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.trapOid = "";

            /**
             * Trap enterprise.
             * @member {string} enterprise
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.enterprise = "";

            /**
             * Trap agentAddress.
             * @member {string} agentAddress
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.agentAddress = "";

            /**
             * Trap genericTrap.
             * @member {number} genericTrap
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.genericTrap = 0;

            /**
             * Trap specificTrap.
             * @member {number} specificTrap
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.specificTrap = 0;

            /**
             * Trap uptime.
             * @member {number} uptime
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.uptime = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Trap securityName.
             * @member {string} securityName
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.securityName = "";

            /**
             * Trap varbinds.
             * @member {Array.<amoskys.v1.Varbind.$Properties>} varbinds
             * @memberof amoskys.v1.Trap
             * @instance
             */
            Trap.prototype.varbinds = $util.emptyArray;

            /**
             * Creates a new Trap instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Trap
             * @static
             * @param {amoskys.v1.Trap.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Trap} Trap instance
             * @type {{
             *   (properties: amoskys.v1.Trap.$Shape): amoskys.v1.Trap & amoskys.v1.Trap.$Shape;
             *   (properties?: amoskys.v1.Trap.$Properties): amoskys.v1.Trap;
             * }}
             */
            Trap.create = function(properties) {
                return new Trap(properties);
            };

            /**
             * Encodes the specified Trap message. Does not implicitly {@link amoskys.v1.Trap.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Trap
             * @static
             * @param {amoskys.v1.Trap.$Properties} message Trap message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Trap.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.version);
                if (message.inform != null && $Object.hasOwnProperty.call(message, "inform") && message.inform !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.inform);
                if (message.trapOid != null && $Object.hasOwnProperty.call(message, "trapOid") && message.trapOid !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.trapOid);
                if (message.enterprise != null && $Object.hasOwnProperty.call(message, "enterprise") && message.enterprise !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.enterprise);
                if (message.agentAddress != null && $Object.hasOwnProperty.call(message, "agentAddress") && message.agentAddress !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.agentAddress);
                if (message.genericTrap != null && $Object.hasOwnProperty.call(message, "genericTrap") && message.genericTrap !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.genericTrap);
                if (message.specificTrap != null && $Object.hasOwnProperty.call(message, "specificTrap") && message.specificTrap !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).uint32(message.specificTrap);
                if (message.uptime != null && $Object.hasOwnProperty.call(message, "uptime") && (typeof message.uptime === "object" ? message.uptime.low || message.uptime.high : message.uptime !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.uptime);
                if (message.securityName != null && $Object.hasOwnProperty.call(message, "securityName") && message.securityName !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.securityName);
                if (message.varbinds != null && message.varbinds.length)
                    for (let i = 0; i < message.varbinds.length; ++i)
                        $root.amoskys.v1.Varbind.encode(message.varbinds[i], writer.uint32(/* id 10, wireType 2 =*/82).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Trap message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Trap
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Trap & amoskys.v1.Trap.$Shape} Trap
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Trap.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Trap();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.inform = value;
                            else
                                delete message.inform;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.trapOid = value;
                            else
                                delete message.trapOid;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.enterprise = value;
                            else
                                delete message.enterprise;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentAddress = value;
                            else
                                delete message.agentAddress;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.genericTrap = value;
                            else
                                delete message.genericTrap;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.specificTrap = value;
                            else
                                delete message.specificTrap;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.uptime = value;
                            else
                                delete message.uptime;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.securityName = value;
                            else
                                delete message.securityName;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if (!(message.varbinds && message.varbinds.length))
                                message.varbinds = [];
                            message.varbinds.push($root.amoskys.v1.Varbind.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Trap message.
             * @function verify
             * @memberof amoskys.v1.Trap
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Trap.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    if (!$util.isString(message.version))
                        return "version: string expected";
                if (message.inform != null && $Object.hasOwnProperty.call(message, "inform"))
                    if (typeof message.inform !== "boolean")
                        return "inform: boolean expected";
                if (message.trapOid != null && $Object.hasOwnProperty.call(message, "trapOid"))
                    if (!$util.isString(message.trapOid))
                        return "trapOid: string expected";
                if (message.enterprise != null && $Object.hasOwnProperty.call(message, "enterprise"))
                    if (!$util.isString(message.enterprise))
                        return "enterprise: string expected";
                if (message.agentAddress != null && $Object.hasOwnProperty.call(message, "agentAddress"))
                    if (!$util.isString(message.agentAddress))
                        return "agentAddress: string expected";
                if (message.genericTrap != null && $Object.hasOwnProperty.call(message, "genericTrap"))
                    if (!$util.isInteger(message.genericTrap))
                        return "genericTrap: integer expected";
                if (message.specificTrap != null && $Object.hasOwnProperty.call(message, "specificTrap"))
                    if (!$util.isInteger(message.specificTrap))
                        return "specificTrap: integer expected";
                if (message.uptime != null && $Object.hasOwnProperty.call(message, "uptime"))
                    if (!$util.isInteger(message.uptime) && !(message.uptime && $util.isInteger(message.uptime.low) && $util.isInteger(message.uptime.high)))
                        return "uptime: integer|Long expected";
                if (message.securityName != null && $Object.hasOwnProperty.call(message, "securityName"))
                    if (!$util.isString(message.securityName))
                        return "securityName: string expected";
                if (message.varbinds != null && $Object.hasOwnProperty.call(message, "varbinds")) {
                    if (!$Array.isArray(message.varbinds))
                        return "varbinds: array expected";
                    for (let i = 0; i < message.varbinds.length; ++i) {
                        let error = $root.amoskys.v1.Varbind.verify(message.varbinds[i], _depth + 1);
                        if (error)
                            return "varbinds." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a Trap message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Trap
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Trap} Trap
             */
            Trap.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Trap)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Trap: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Trap();
                if (object.version != null)
                    if (typeof object.version !== "string" || object.version.length)
                        message.version = $String(object.version);
                if (object.inform != null)
                    if (object.inform)
                        message.inform = $Boolean(object.inform);
                if (object.trapOid != null)
                    if (typeof object.trapOid !== "string" || object.trapOid.length)
                        message.trapOid = $String(object.trapOid);
                if (object.enterprise != null)
                    if (typeof object.enterprise !== "string" || object.enterprise.length)
                        message.enterprise = $String(object.enterprise);
                if (object.agentAddress != null)
                    if (typeof object.agentAddress !== "string" || object.agentAddress.length)
                        message.agentAddress = $String(object.agentAddress);
                if (object.genericTrap != null)
                    if ($Number(object.genericTrap) !== 0)
                        message.genericTrap = object.genericTrap >>> 0;
                if (object.specificTrap != null)
                    if ($Number(object.specificTrap) !== 0)
                        message.specificTrap = object.specificTrap >>> 0;
                if (object.uptime != null)
                    if (typeof object.uptime === "object" ? object.uptime.low || object.uptime.high : $Number(object.uptime) !== 0)
                        if ($util.Long)
                            message.uptime = $util.Long.fromValue(object.uptime, true);
                        else if (typeof object.uptime === "string")
                            message.uptime = $parseInt(object.uptime, 10);
                        else if (typeof object.uptime === "number")
                            message.uptime = object.uptime;
                        else if (typeof object.uptime === "object")
                            message.uptime = new $util.LongBits(object.uptime.low >>> 0, object.uptime.high >>> 0).toNumber(true);
                if (object.securityName != null)
                    if (typeof object.securityName !== "string" || object.securityName.length)
                        message.securityName = $String(object.securityName);
                if (object.varbinds) {
                    if (!$Array.isArray(object.varbinds))
                        throw $TypeError(".amoskys.v1.Trap.varbinds: array expected");
                    message.varbinds = $Array(object.varbinds.length);
                    for (let i = 0; i < object.varbinds.length; ++i) {
                        if (!$util.isObject(object.varbinds[i]))
                            throw $TypeError(".amoskys.v1.Trap.varbinds: object expected");
                        message.varbinds[i] = $root.amoskys.v1.Varbind.fromObject(object.varbinds[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a Trap message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Trap
             * @static
             * @param {amoskys.v1.Trap} message Trap
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Trap.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.varbinds = [];
                if (options.defaults) {
                    object.version = "";
                    object.inform = false;
                    object.trapOid = "";
                    object.enterprise = "";
                    object.agentAddress = "";
                    object.genericTrap = 0;
                    object.specificTrap = 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.uptime = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.uptime = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.securityName = "";
                }
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.inform != null && $Object.hasOwnProperty.call(message, "inform"))
                    object.inform = message.inform;
                if (message.trapOid != null && $Object.hasOwnProperty.call(message, "trapOid"))
                    object.trapOid = message.trapOid;
                if (message.enterprise != null && $Object.hasOwnProperty.call(message, "enterprise"))
                    object.enterprise = message.enterprise;
                if (message.agentAddress != null && $Object.hasOwnProperty.call(message, "agentAddress"))
                    object.agentAddress = message.agentAddress;
                if (message.genericTrap != null && $Object.hasOwnProperty.call(message, "genericTrap"))
                    object.genericTrap = message.genericTrap;
                if (message.specificTrap != null && $Object.hasOwnProperty.call(message, "specificTrap"))
                    object.specificTrap = message.specificTrap;
                if (message.uptime != null && $Object.hasOwnProperty.call(message, "uptime"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.uptime = typeof message.uptime === "number" ? $BigInt(message.uptime) : $util.Long.fromBits(message.uptime.low >>> 0, message.uptime.high >>> 0, true).toBigInt();
                    else if (typeof message.uptime === "number")
                        object.uptime = options.longs === $String ? $String(message.uptime) : message.uptime;
                    else
                        object.uptime = options.longs === $String ? $util.Long.prototype.toString.call(message.uptime) : options.longs === $Number ? new $util.LongBits(message.uptime.low >>> 0, message.uptime.high >>> 0).toNumber(true) : message.uptime;
                if (message.securityName != null && $Object.hasOwnProperty.call(message, "securityName"))
                    object.securityName = message.securityName;
                if (message.varbinds && message.varbinds.length) {
                    object.varbinds = $Array(message.varbinds.length);
                    for (let j = 0; j < message.varbinds.length; ++j)
                        object.varbinds[j] = $root.amoskys.v1.Varbind.toObject(message.varbinds[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this Trap to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Trap
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Trap.prototype.toJSON = function() {
                return Trap.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Trap;
        })();

        v1.Flow = (function() {

            /**
             * Properties of a Flow.
             * @typedef {Object} amoskys.v1.Flow.$Properties
             * @property {string|null} [srcAddress] Flow srcAddress
             * @property {string|null} [dstAddress] Flow dstAddress
             * @property {number|null} [srcPort] Flow srcPort
             * @property {number|null} [dstPort] Flow dstPort
             * @property {number|null} [protocol] Flow protocol
             * @property {number|null} [bytes] Flow bytes
             * @property {number|null} [packets] Flow packets
             * @property {google.protobuf.Timestamp.$Properties|null} [start] Flow start
             * @property {google.protobuf.Timestamp.$Properties|null} [end] Flow end
             * @property {number|null} [tcpFlags] Flow tcpFlags
             * @property {string|null} [exporter] Flow exporter
             * @property {number|null} [observationDomain] Flow observationDomain
             * @property {number|null} [exportVersion] Flow exportVersion
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Flow.
             * @memberof amoskys.v1
             * @interface IFlow
             * @augments amoskys.v1.Flow.$Properties
             * @deprecated Use amoskys.v1.Flow.$Properties instead.
             */

            /**
             * Shape of a Flow.
             * @typedef {amoskys.v1.Flow.$Properties} amoskys.v1.Flow.$Shape
             */

            /**
             * Constructs a new Flow.
             * @memberof amoskys.v1
             * @classdesc Represents a Flow.
             * @constructor
             * @param {amoskys.v1.Flow.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Flow = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Flow srcAddress.
             * @member {string} srcAddress
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.srcAddress = "";

            /**
             * Flow dstAddress.
             * @member {string} dstAddress
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.dstAddress = "";

            /**
             * Flow srcPort.
             * @member {number} srcPort
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.srcPort = 0;

            /**
             * Flow dstPort.
             * @member {number} dstPort
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.dstPort = 0;

            /**
             * Flow protocol.
             * @member {number} protocol
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.protocol = 0;

            /**
             * Flow bytes.
             * @member {number} bytes
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.bytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Flow packets.
             * @member {number} packets
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.packets = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Flow start.
             * @member {google.protobuf.Timestamp.$Properties|null|undefined} start
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.start = null;

            /**
             * Flow end.
             * @member {google.protobuf.Timestamp.$Properties|null|undefined} end
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.end = null;

            /**
             * Flow tcpFlags.
             * @member {number} tcpFlags
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.tcpFlags = 0;

            /**
             * Flow exporter.
             * @member {string} exporter
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.exporter = "";

            /**
             * Flow observationDomain.
             * @member {number} observationDomain
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.observationDomain = 0;

            /**
             * Flow exportVersion.
             * @member {number} exportVersion
             * @memberof amoskys.v1.Flow
             * @instance
             */
            Flow.prototype.exportVersion = 0;

            /**
             * Creates a new Flow instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Flow
             * @static
             * @param {amoskys.v1.Flow.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Flow} Flow instance
             * @type {{
             *   (properties: amoskys.v1.Flow.$Shape): amoskys.v1.Flow & amoskys.v1.Flow.$Shape;
             *   (properties?: amoskys.v1.Flow.$Properties): amoskys.v1.Flow;
             * }}
             */
            Flow.create = function(properties) {
                return new Flow(properties);
            };

            /**
             * Encodes the specified Flow message. Does not implicitly {@link amoskys.v1.Flow.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Flow
             * @static
             * @param {amoskys.v1.Flow.$Properties} message Flow message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Flow.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress") && message.srcAddress !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.srcAddress);
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress") && message.dstAddress !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.dstAddress);
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort") && message.srcPort !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).uint32(message.srcPort);
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort") && message.dstPort !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.dstPort);
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.protocol);
                if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes") && (typeof message.bytes === "object" ? message.bytes.low || message.bytes.high : message.bytes !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.bytes);
                if (message.packets != null && $Object.hasOwnProperty.call(message, "packets") && (typeof message.packets === "object" ? message.packets.low || message.packets.high : message.packets !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).uint64(message.packets);
                if (message.start != null && $Object.hasOwnProperty.call(message, "start"))
                    $root.google.protobuf.Timestamp.encode(message.start, writer.uint32(/* id 8, wireType 2 =*/66).fork(), _depth + 1).ldelim();
                if (message.end != null && $Object.hasOwnProperty.call(message, "end"))
                    $root.google.protobuf.Timestamp.encode(message.end, writer.uint32(/* id 9, wireType 2 =*/74).fork(), _depth + 1).ldelim();
                if (message.tcpFlags != null && $Object.hasOwnProperty.call(message, "tcpFlags") && message.tcpFlags !== 0)
                    writer.uint32(/* id 10, wireType 0 =*/80).uint32(message.tcpFlags);
                if (message.exporter != null && $Object.hasOwnProperty.call(message, "exporter") && message.exporter !== "")
                    writer.uint32(/* id 11, wireType 2 =*/90).string(message.exporter);
                if (message.observationDomain != null && $Object.hasOwnProperty.call(message, "observationDomain") && message.observationDomain !== 0)
                    writer.uint32(/* id 12, wireType 0 =*/96).uint32(message.observationDomain);
                if (message.exportVersion != null && $Object.hasOwnProperty.call(message, "exportVersion") && message.exportVersion !== 0)
                    writer.uint32(/* id 13, wireType 0 =*/104).uint32(message.exportVersion);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Flow message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Flow
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Flow & amoskys.v1.Flow.$Shape} Flow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Flow.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Flow();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.srcAddress = value;
                            else
                                delete message.srcAddress;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.dstAddress = value;
                            else
                                delete message.dstAddress;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.srcPort = value;
                            else
                                delete message.srcPort;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.dstPort = value;
                            else
                                delete message.dstPort;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.bytes = value;
                            else
                                delete message.bytes;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.packets = value;
                            else
                                delete message.packets;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            message.start = $root.google.protobuf.Timestamp.decode(reader, reader.size(), $undefined, _depth + 1, message.start);
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            message.end = $root.google.protobuf.Timestamp.decode(reader, reader.size(), $undefined, _depth + 1, message.end);
                            continue;
                        }
                    case 10: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.tcpFlags = value;
                            else
                                delete message.tcpFlags;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.exporter = value;
                            else
                                delete message.exporter;
                            continue;
                        }
                    case 12: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.observationDomain = value;
                            else
                                delete message.observationDomain;
                            continue;
                        }
                    case 13: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.exportVersion = value;
                            else
                                delete message.exportVersion;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Flow message.
             * @function verify
             * @memberof amoskys.v1.Flow
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Flow.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress"))
                    if (!$util.isString(message.srcAddress))
                        return "srcAddress: string expected";
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress"))
                    if (!$util.isString(message.dstAddress))
                        return "dstAddress: string expected";
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    if (!$util.isInteger(message.srcPort))
                        return "srcPort: integer expected";
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    if (!$util.isInteger(message.dstPort))
                        return "dstPort: integer expected";
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    if (!$util.isInteger(message.protocol))
                        return "protocol: integer expected";
                if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes"))
                    if (!$util.isInteger(message.bytes) && !(message.bytes && $util.isInteger(message.bytes.low) && $util.isInteger(message.bytes.high)))
                        return "bytes: integer|Long expected";
                if (message.packets != null && $Object.hasOwnProperty.call(message, "packets"))
                    if (!$util.isInteger(message.packets) && !(message.packets && $util.isInteger(message.packets.low) && $util.isInteger(message.packets.high)))
                        return "packets: integer|Long expected";
                if (message.start != null && $Object.hasOwnProperty.call(message, "start")) {
                    let error = $root.google.protobuf.Timestamp.verify(message.start, _depth + 1);
                    if (error)
                        return "start." + error;
                }
                if (message.end != null && $Object.hasOwnProperty.call(message, "end")) {
                    let error = $root.google.protobuf.Timestamp.verify(message.end, _depth + 1);
                    if (error)
                        return "end." + error;
                }
                if (message.tcpFlags != null && $Object.hasOwnProperty.call(message, "tcpFlags"))
                    if (!$util.isInteger(message.tcpFlags))
                        return "tcpFlags: integer expected";
                if (message.exporter != null && $Object.hasOwnProperty.call(message, "exporter"))
                    if (!$util.isString(message.exporter))
                        return "exporter: string expected";
                if (message.observationDomain != null && $Object.hasOwnProperty.call(message, "observationDomain"))
                    if (!$util.isInteger(message.observationDomain))
                        return "observationDomain: integer expected";
                if (message.exportVersion != null && $Object.hasOwnProperty.call(message, "exportVersion"))
                    if (!$util.isInteger(message.exportVersion))
                        return "exportVersion: integer expected";
                return null;
            };

            /**
             * Creates a Flow message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Flow
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Flow} Flow
             */
            Flow.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Flow)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Flow: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Flow();
                if (object.srcAddress != null)
                    if (typeof object.srcAddress !== "string" || object.srcAddress.length)
                        message.srcAddress = $String(object.srcAddress);
                if (object.dstAddress != null)
                    if (typeof object.dstAddress !== "string" || object.dstAddress.length)
                        message.dstAddress = $String(object.dstAddress);
                if (object.srcPort != null)
                    if ($Number(object.srcPort) !== 0)
                        message.srcPort = object.srcPort >>> 0;
                if (object.dstPort != null)
                    if ($Number(object.dstPort) !== 0)
                        message.dstPort = object.dstPort >>> 0;
                if (object.protocol != null)
                    if ($Number(object.protocol) !== 0)
                        message.protocol = object.protocol >>> 0;
                if (object.bytes != null)
                    if (typeof object.bytes === "object" ? object.bytes.low || object.bytes.high : $Number(object.bytes) !== 0)
                        if ($util.Long)
                            message.bytes = $util.Long.fromValue(object.bytes, true);
                        else if (typeof object.bytes === "string")
                            message.bytes = $parseInt(object.bytes, 10);
                        else if (typeof object.bytes === "number")
                            message.bytes = object.bytes;
                        else if (typeof object.bytes === "object")
                            message.bytes = new $util.LongBits(object.bytes.low >>> 0, object.bytes.high >>> 0).toNumber(true);
                if (object.packets != null)
                    if (typeof object.packets === "object" ? object.packets.low || object.packets.high : $Number(object.packets) !== 0)
                        if ($util.Long)
                            message.packets = $util.Long.fromValue(object.packets, true);
                        else if (typeof object.packets === "string")
                            message.packets = $parseInt(object.packets, 10);
                        else if (typeof object.packets === "number")
                            message.packets = object.packets;
                        else if (typeof object.packets === "object")
                            message.packets = new $util.LongBits(object.packets.low >>> 0, object.packets.high >>> 0).toNumber(true);
                if (object.start != null) {
                    if (!$util.isObject(object.start))
                        throw $TypeError(".amoskys.v1.Flow.start: object expected");
                    message.start = $root.google.protobuf.Timestamp.fromObject(object.start, _depth + 1);
                }
                if (object.end != null) {
                    if (!$util.isObject(object.end))
                        throw $TypeError(".amoskys.v1.Flow.end: object expected");
                    message.end = $root.google.protobuf.Timestamp.fromObject(object.end, _depth + 1);
                }
                if (object.tcpFlags != null)
                    if ($Number(object.tcpFlags) !== 0)
                        message.tcpFlags = object.tcpFlags >>> 0;
                if (object.exporter != null)
                    if (typeof object.exporter !== "string" || object.exporter.length)
                        message.exporter = $String(object.exporter);
                if (object.observationDomain != null)
                    if ($Number(object.observationDomain) !== 0)
                        message.observationDomain = object.observationDomain >>> 0;
                if (object.exportVersion != null)
                    if ($Number(object.exportVersion) !== 0)
                        message.exportVersion = object.exportVersion >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a Flow message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Flow
             * @static
             * @param {amoskys.v1.Flow} message Flow
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Flow.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.srcAddress = "";
                    object.dstAddress = "";
                    object.srcPort = 0;
                    object.dstPort = 0;
                    object.protocol = 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.bytes = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.bytes = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.packets = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.packets = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.start = null;
                    object.end = null;
                    object.tcpFlags = 0;
                    object.exporter = "";
                    object.observationDomain = 0;
                    object.exportVersion = 0;
                }
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress"))
                    object.srcAddress = message.srcAddress;
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress"))
                    object.dstAddress = message.dstAddress;
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    object.srcPort = message.srcPort;
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    object.dstPort = message.dstPort;
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = message.protocol;
                if (message.bytes != null && $Object.hasOwnProperty.call(message, "bytes"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.bytes = typeof message.bytes === "number" ? $BigInt(message.bytes) : $util.Long.fromBits(message.bytes.low >>> 0, message.bytes.high >>> 0, true).toBigInt();
                    else if (typeof message.bytes === "number")
                        object.bytes = options.longs === $String ? $String(message.bytes) : message.bytes;
                    else
                        object.bytes = options.longs === $String ? $util.Long.prototype.toString.call(message.bytes) : options.longs === $Number ? new $util.LongBits(message.bytes.low >>> 0, message.bytes.high >>> 0).toNumber(true) : message.bytes;
                if (message.packets != null && $Object.hasOwnProperty.call(message, "packets"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.packets = typeof message.packets === "number" ? $BigInt(message.packets) : $util.Long.fromBits(message.packets.low >>> 0, message.packets.high >>> 0, true).toBigInt();
                    else if (typeof message.packets === "number")
                        object.packets = options.longs === $String ? $String(message.packets) : message.packets;
                    else
                        object.packets = options.longs === $String ? $util.Long.prototype.toString.call(message.packets) : options.longs === $Number ? new $util.LongBits(message.packets.low >>> 0, message.packets.high >>> 0).toNumber(true) : message.packets;
                if (message.start != null && $Object.hasOwnProperty.call(message, "start"))
                    object.start = $root.google.protobuf.Timestamp.toObject(message.start, options, _depth + 1);
                if (message.end != null && $Object.hasOwnProperty.call(message, "end"))
                    object.end = $root.google.protobuf.Timestamp.toObject(message.end, options, _depth + 1);
                if (message.tcpFlags != null && $Object.hasOwnProperty.call(message, "tcpFlags"))
                    object.tcpFlags = message.tcpFlags;
                if (message.exporter != null && $Object.hasOwnProperty.call(message, "exporter"))
                    object.exporter = message.exporter;
                if (message.observationDomain != null && $Object.hasOwnProperty.call(message, "observationDomain"))
                    object.observationDomain = message.observationDomain;
                if (message.exportVersion != null && $Object.hasOwnProperty.call(message, "exportVersion"))
                    object.exportVersion = message.exportVersion;
                return object;
            };

            /**
             * Converts this Flow to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Flow
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Flow.prototype.toJSON = function() {
                return Flow.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Flow;
        })();

        /**
         * Capability enum.
         * @name amoskys.v1.Capability
         * @enum {number}
         * @property {number} CAPABILITY_UNSPECIFIED=0 CAPABILITY_UNSPECIFIED value
         * @property {number} CAPABILITY_REAL=1 CAPABILITY_REAL value
         * @property {number} CAPABILITY_DEGRADED=2 CAPABILITY_DEGRADED value
         * @property {number} CAPABILITY_BLIND=3 CAPABILITY_BLIND value
         * @property {number} CAPABILITY_SIMULATED=4 CAPABILITY_SIMULATED value
         */
        v1.Capability = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "CAPABILITY_UNSPECIFIED"] = 0;
            values[valuesById[1] = "CAPABILITY_REAL"] = 1;
            values[valuesById[2] = "CAPABILITY_DEGRADED"] = 2;
            values[valuesById[3] = "CAPABILITY_BLIND"] = 3;
            values[valuesById[4] = "CAPABILITY_SIMULATED"] = 4;
            return values;
        })();

        v1.Status = (function() {

            /**
             * Properties of a Status.
             * @typedef {Object} amoskys.v1.Status.$Properties
             * @property {amoskys.v1.SourceProtocol|null} [protocol] Status protocol
             * @property {boolean|null} [reachable] Status reachable
             * @property {number|null} [latencyMs] Status latencyMs
             * @property {amoskys.v1.Capability|null} [capability] Status capability
             * @property {string|null} [reason] Status reason
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Status.
             * @memberof amoskys.v1
             * @interface IStatus
             * @augments amoskys.v1.Status.$Properties
             * @deprecated Use amoskys.v1.Status.$Properties instead.
             */

            /**
             * Shape of a Status.
             * @typedef {amoskys.v1.Status.$Properties} amoskys.v1.Status.$Shape
             */

            /**
             * Constructs a new Status.
             * @memberof amoskys.v1
             * @classdesc Represents a Status.
             * @constructor
             * @param {amoskys.v1.Status.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Status = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Status protocol.
             * @member {amoskys.v1.SourceProtocol} protocol
             * @memberof amoskys.v1.Status
             * @instance
             */
            Status.prototype.protocol = 0;

            /**
             * Status reachable.
             * @member {boolean} reachable
             * @memberof amoskys.v1.Status
             * @instance
             */
            Status.prototype.reachable = false;

            /**
             * Status latencyMs.
             * @member {number} latencyMs
             * @memberof amoskys.v1.Status
             * @instance
             */
            Status.prototype.latencyMs = 0;

            /**
             * Status capability.
             * @member {amoskys.v1.Capability} capability
             * @memberof amoskys.v1.Status
             * @instance
             */
            Status.prototype.capability = 0;

            /**
             * Status reason.
             * @member {string} reason
             * @memberof amoskys.v1.Status
             * @instance
             */
            Status.prototype.reason = "";

            /**
             * Creates a new Status instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Status
             * @static
             * @param {amoskys.v1.Status.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Status} Status instance
             * @type {{
             *   (properties: amoskys.v1.Status.$Shape): amoskys.v1.Status & amoskys.v1.Status.$Shape;
             *   (properties?: amoskys.v1.Status.$Properties): amoskys.v1.Status;
             * }}
             */
            Status.create = function(properties) {
                return new Status(properties);
            };

            /**
             * Encodes the specified Status message. Does not implicitly {@link amoskys.v1.Status.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Status
             * @static
             * @param {amoskys.v1.Status.$Properties} message Status message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Status.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.protocol);
                if (message.reachable != null && $Object.hasOwnProperty.call(message, "reachable") && message.reachable !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.reachable);
                if (message.latencyMs != null && $Object.hasOwnProperty.call(message, "latencyMs") && !$Object.is(message.latencyMs, 0))
                    writer.uint32(/* id 3, wireType 1 =*/25).double(message.latencyMs);
                if (message.capability != null && $Object.hasOwnProperty.call(message, "capability") && message.capability !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).int32(message.capability);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.reason);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Status message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Status
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Status & amoskys.v1.Status.$Shape} Status
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Status.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Status();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.reachable = value;
                            else
                                delete message.reachable;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.latencyMs = value;
                            else
                                delete message.latencyMs;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.capability = value;
                            else
                                delete message.capability;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Status message.
             * @function verify
             * @memberof amoskys.v1.Status
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Status.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    if (typeof message.protocol !== "number" || (message.protocol | 0) !== message.protocol)
                        return "protocol: enum value expected";
                if (message.reachable != null && $Object.hasOwnProperty.call(message, "reachable"))
                    if (typeof message.reachable !== "boolean")
                        return "reachable: boolean expected";
                if (message.latencyMs != null && $Object.hasOwnProperty.call(message, "latencyMs"))
                    if (typeof message.latencyMs !== "number")
                        return "latencyMs: number expected";
                if (message.capability != null && $Object.hasOwnProperty.call(message, "capability"))
                    if (typeof message.capability !== "number" || (message.capability | 0) !== message.capability)
                        return "capability: enum value expected";
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    if (!$util.isString(message.reason))
                        return "reason: string expected";
                return null;
            };

            /**
             * Creates a Status message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Status
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Status} Status
             */
            Status.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Status)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Status: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Status();
                if (object.protocol !== 0 && (typeof object.protocol !== "string" || $root.amoskys.v1.SourceProtocol[object.protocol] !== 0))
                    switch (object.protocol) {
                    case "SOURCE_PROTOCOL_UNSPECIFIED":
                    case 0:
                        message.protocol = 0;
                        break;
                    case "SOURCE_PROTOCOL_SNMP":
                    case 1:
                        message.protocol = 1;
                        break;
                    case "SOURCE_PROTOCOL_SNMP_TRAP":
                    case 2:
                        message.protocol = 2;
                        break;
                    case "SOURCE_PROTOCOL_MQTT":
                    case 3:
                        message.protocol = 3;
                        break;
                    case "SOURCE_PROTOCOL_SPARKPLUG_B":
                    case 4:
                        message.protocol = 4;
                        break;
                    case "SOURCE_PROTOCOL_MODBUS":
                    case 5:
                        message.protocol = 5;
                        break;
                    case "SOURCE_PROTOCOL_SYSLOG":
                    case 6:
                        message.protocol = 6;
                        break;
                    case "SOURCE_PROTOCOL_HL7":
                    case 7:
                        message.protocol = 7;
                        break;
                    case "SOURCE_PROTOCOL_FHIR":
                    case 8:
                        message.protocol = 8;
                        break;
                    case "SOURCE_PROTOCOL_NETFLOW":
                    case 9:
                        message.protocol = 9;
                        break;
                    case "SOURCE_PROTOCOL_IPFIX":
                    case 10:
                        message.protocol = 10;
                        break;
                    case "SOURCE_PROTOCOL_PCAP":
                    case 11:
                        message.protocol = 11;
                        break;
                    case "SOURCE_PROTOCOL_DISCOVERY":
                    case 12:
                        message.protocol = 12;
                        break;
                    case "SOURCE_PROTOCOL_AGENT":
                    case 13:
                        message.protocol = 13;
                        break;
                    default:
                        if (typeof object.protocol === "number" && (object.protocol | 0) === object.protocol)
                            message.protocol = object.protocol;
                    }
                if (object.reachable != null)
                    if (object.reachable)
                        message.reachable = $Boolean(object.reachable);
                if (object.latencyMs != null)
                    if (!$Object.is($Number(object.latencyMs), 0))
                        message.latencyMs = $Number(object.latencyMs);
                if (object.capability !== 0 && (typeof object.capability !== "string" || $root.amoskys.v1.Capability[object.capability] !== 0))
                    switch (object.capability) {
                    case "CAPABILITY_UNSPECIFIED":
                    case 0:
                        message.capability = 0;
                        break;
                    case "CAPABILITY_REAL":
                    case 1:
                        message.capability = 1;
                        break;
                    case "CAPABILITY_DEGRADED":
                    case 2:
                        message.capability = 2;
                        break;
                    case "CAPABILITY_BLIND":
                    case 3:
                        message.capability = 3;
                        break;
                    case "CAPABILITY_SIMULATED":
                    case 4:
                        message.capability = 4;
                        break;
                    default:
                        if (typeof object.capability === "number" && (object.capability | 0) === object.capability)
                            message.capability = object.capability;
                    }
                if (object.reason != null)
                    if (typeof object.reason !== "string" || object.reason.length)
                        message.reason = $String(object.reason);
                return message;
            };

            /**
             * Creates a plain object from a Status message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Status
             * @static
             * @param {amoskys.v1.Status} message Status
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Status.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocol = options.enums === $String ? "SOURCE_PROTOCOL_UNSPECIFIED" : 0;
                    object.reachable = false;
                    object.latencyMs = 0;
                    object.capability = options.enums === $String ? "CAPABILITY_UNSPECIFIED" : 0;
                    object.reason = "";
                }
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = options.enums === $String ? $root.amoskys.v1.SourceProtocol[message.protocol] === $undefined ? message.protocol : $root.amoskys.v1.SourceProtocol[message.protocol] : message.protocol;
                if (message.reachable != null && $Object.hasOwnProperty.call(message, "reachable"))
                    object.reachable = message.reachable;
                if (message.latencyMs != null && $Object.hasOwnProperty.call(message, "latencyMs"))
                    object.latencyMs = options.json && !$isFinite(message.latencyMs) ? $String(message.latencyMs) : message.latencyMs;
                if (message.capability != null && $Object.hasOwnProperty.call(message, "capability"))
                    object.capability = options.enums === $String ? $root.amoskys.v1.Capability[message.capability] === $undefined ? message.capability : $root.amoskys.v1.Capability[message.capability] : message.capability;
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    object.reason = message.reason;
                return object;
            };

            /**
             * Converts this Status to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Status
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Status.prototype.toJSON = function() {
                return Status.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Status;
        })();

        v1.SecurityObservation = (function() {

            /**
             * Properties of a SecurityObservation.
             * @typedef {Object} amoskys.v1.SecurityObservation.$Properties
             * @property {string|null} [kind] SecurityObservation kind
             * @property {string|null} [detail] SecurityObservation detail
             * @property {Object.<string,string>|null} [evidence] SecurityObservation evidence
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SecurityObservation.
             * @memberof amoskys.v1
             * @interface ISecurityObservation
             * @augments amoskys.v1.SecurityObservation.$Properties
             * @deprecated Use amoskys.v1.SecurityObservation.$Properties instead.
             */

            /**
             * Shape of a SecurityObservation.
             * @typedef {amoskys.v1.SecurityObservation.$Properties} amoskys.v1.SecurityObservation.$Shape
             */

            /**
             * Constructs a new SecurityObservation.
             * @memberof amoskys.v1
             * @classdesc Represents a SecurityObservation.
             * @constructor
             * @param {amoskys.v1.SecurityObservation.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SecurityObservation = function (properties) {
                this.evidence = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SecurityObservation kind.
             * @member {string} kind
             * @memberof amoskys.v1.SecurityObservation
             * @instance
             */
            SecurityObservation.prototype.kind = "";

            /**
             * SecurityObservation detail.
             * @member {string} detail
             * @memberof amoskys.v1.SecurityObservation
             * @instance
             */
            SecurityObservation.prototype.detail = "";

            /**
             * SecurityObservation evidence.
             * @member {Object.<string,string>} evidence
             * @memberof amoskys.v1.SecurityObservation
             * @instance
             */
            SecurityObservation.prototype.evidence = $util.emptyObject;

            /**
             * Creates a new SecurityObservation instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {amoskys.v1.SecurityObservation.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.SecurityObservation} SecurityObservation instance
             * @type {{
             *   (properties: amoskys.v1.SecurityObservation.$Shape): amoskys.v1.SecurityObservation & amoskys.v1.SecurityObservation.$Shape;
             *   (properties?: amoskys.v1.SecurityObservation.$Properties): amoskys.v1.SecurityObservation;
             * }}
             */
            SecurityObservation.create = function(properties) {
                return new SecurityObservation(properties);
            };

            /**
             * Encodes the specified SecurityObservation message. Does not implicitly {@link amoskys.v1.SecurityObservation.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {amoskys.v1.SecurityObservation.$Properties} message SecurityObservation message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SecurityObservation.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind") && message.kind !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.kind);
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail") && message.detail !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.detail);
                if (message.evidence != null && $Object.hasOwnProperty.call(message, "evidence"))
                    for (let keys = $Object.keys(message.evidence), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 3, wireType 2 =*/26).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.evidence[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SecurityObservation message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.SecurityObservation & amoskys.v1.SecurityObservation.$Shape} SecurityObservation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SecurityObservation.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.SecurityObservation();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.kind = value;
                            else
                                delete message.kind;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.detail = value;
                            else
                                delete message.detail;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if (message.evidence === $util.emptyObject)
                                message.evidence = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.evidence, key);
                            message.evidence[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SecurityObservation message.
             * @function verify
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SecurityObservation.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    if (!$util.isString(message.kind))
                        return "kind: string expected";
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    if (!$util.isString(message.detail))
                        return "detail: string expected";
                if (message.evidence != null && $Object.hasOwnProperty.call(message, "evidence")) {
                    if (!$util.isObject(message.evidence))
                        return "evidence: object expected";
                    let key = $Object.keys(message.evidence);
                    for (let i = 0; i < key.length; ++i)
                        if (!$util.isString(message.evidence[key[i]]))
                            return "evidence: string{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a SecurityObservation message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.SecurityObservation} SecurityObservation
             */
            SecurityObservation.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.SecurityObservation)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.SecurityObservation: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.SecurityObservation();
                if (object.kind != null)
                    if (typeof object.kind !== "string" || object.kind.length)
                        message.kind = $String(object.kind);
                if (object.detail != null)
                    if (typeof object.detail !== "string" || object.detail.length)
                        message.detail = $String(object.detail);
                if (object.evidence) {
                    if (!$util.isObject(object.evidence))
                        throw $TypeError(".amoskys.v1.SecurityObservation.evidence: object expected");
                    message.evidence = {};
                    for (let keys = $Object.keys(object.evidence), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.evidence, keys[i]);
                        message.evidence[keys[i]] = $String(object.evidence[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a SecurityObservation message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.SecurityObservation
             * @static
             * @param {amoskys.v1.SecurityObservation} message SecurityObservation
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SecurityObservation.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.objects || options.defaults)
                    object.evidence = {};
                if (options.defaults) {
                    object.kind = "";
                    object.detail = "";
                }
                if (message.kind != null && $Object.hasOwnProperty.call(message, "kind"))
                    object.kind = message.kind;
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    object.detail = message.detail;
                let keys2;
                if (message.evidence && (keys2 = $Object.keys(message.evidence)).length) {
                    object.evidence = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.evidence, keys2[j]);
                        object.evidence[keys2[j]] = message.evidence[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this SecurityObservation to JSON.
             * @function toJSON
             * @memberof amoskys.v1.SecurityObservation
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SecurityObservation.prototype.toJSON = function() {
                return SecurityObservation.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SecurityObservation;
        })();

        v1.ClinicalObservation = (function() {

            /**
             * Properties of a ClinicalObservation.
             * @typedef {Object} amoskys.v1.ClinicalObservation.$Properties
             * @property {string|null} [codeSystem] ClinicalObservation codeSystem
             * @property {string|null} [code] ClinicalObservation code
             * @property {string|null} [display] ClinicalObservation display
             * @property {string|null} [value] ClinicalObservation value
             * @property {number|null} [numericValue] ClinicalObservation numericValue
             * @property {boolean|null} [isNumeric] ClinicalObservation isNumeric
             * @property {string|null} [unit] ClinicalObservation unit
             * @property {string|null} [referenceRange] ClinicalObservation referenceRange
             * @property {string|null} [abnormalFlag] ClinicalObservation abnormalFlag
             * @property {string|null} [resultStatus] ClinicalObservation resultStatus
             * @property {string|null} [sourceId] ClinicalObservation sourceId
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ClinicalObservation.
             * @memberof amoskys.v1
             * @interface IClinicalObservation
             * @augments amoskys.v1.ClinicalObservation.$Properties
             * @deprecated Use amoskys.v1.ClinicalObservation.$Properties instead.
             */

            /**
             * Shape of a ClinicalObservation.
             * @typedef {amoskys.v1.ClinicalObservation.$Properties} amoskys.v1.ClinicalObservation.$Shape
             */

            /**
             * Constructs a new ClinicalObservation.
             * @memberof amoskys.v1
             * @classdesc Represents a ClinicalObservation.
             * @constructor
             * @param {amoskys.v1.ClinicalObservation.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ClinicalObservation = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ClinicalObservation codeSystem.
             * @member {string} codeSystem
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.codeSystem = "";

            /**
             * ClinicalObservation code.
             * @member {string} code
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.code = "";

            /**
             * ClinicalObservation display.
             * @member {string} display
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.display = "";

            /**
             * ClinicalObservation value.
             * @member {string} value
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.value = "";

            /**
             * ClinicalObservation numericValue.
             * @member {number} numericValue
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.numericValue = 0;

            /**
             * ClinicalObservation isNumeric.
             * @member {boolean} isNumeric
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.isNumeric = false;

            /**
             * ClinicalObservation unit.
             * @member {string} unit
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.unit = "";

            /**
             * ClinicalObservation referenceRange.
             * @member {string} referenceRange
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.referenceRange = "";

            /**
             * ClinicalObservation abnormalFlag.
             * @member {string} abnormalFlag
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.abnormalFlag = "";

            /**
             * ClinicalObservation resultStatus.
             * @member {string} resultStatus
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.resultStatus = "";

            /**
             * ClinicalObservation sourceId.
             * @member {string} sourceId
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             */
            ClinicalObservation.prototype.sourceId = "";

            /**
             * Creates a new ClinicalObservation instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {amoskys.v1.ClinicalObservation.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.ClinicalObservation} ClinicalObservation instance
             * @type {{
             *   (properties: amoskys.v1.ClinicalObservation.$Shape): amoskys.v1.ClinicalObservation & amoskys.v1.ClinicalObservation.$Shape;
             *   (properties?: amoskys.v1.ClinicalObservation.$Properties): amoskys.v1.ClinicalObservation;
             * }}
             */
            ClinicalObservation.create = function(properties) {
                return new ClinicalObservation(properties);
            };

            /**
             * Encodes the specified ClinicalObservation message. Does not implicitly {@link amoskys.v1.ClinicalObservation.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {amoskys.v1.ClinicalObservation.$Properties} message ClinicalObservation message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ClinicalObservation.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.codeSystem != null && $Object.hasOwnProperty.call(message, "codeSystem") && message.codeSystem !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.codeSystem);
                if (message.code != null && $Object.hasOwnProperty.call(message, "code") && message.code !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.code);
                if (message.display != null && $Object.hasOwnProperty.call(message, "display") && message.display !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.display);
                if (message.value != null && $Object.hasOwnProperty.call(message, "value") && message.value !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.value);
                if (message.numericValue != null && $Object.hasOwnProperty.call(message, "numericValue") && !$Object.is(message.numericValue, 0))
                    writer.uint32(/* id 5, wireType 1 =*/41).double(message.numericValue);
                if (message.isNumeric != null && $Object.hasOwnProperty.call(message, "isNumeric") && message.isNumeric !== false)
                    writer.uint32(/* id 6, wireType 0 =*/48).bool(message.isNumeric);
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit") && message.unit !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.unit);
                if (message.referenceRange != null && $Object.hasOwnProperty.call(message, "referenceRange") && message.referenceRange !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.referenceRange);
                if (message.abnormalFlag != null && $Object.hasOwnProperty.call(message, "abnormalFlag") && message.abnormalFlag !== "")
                    writer.uint32(/* id 9, wireType 2 =*/74).string(message.abnormalFlag);
                if (message.resultStatus != null && $Object.hasOwnProperty.call(message, "resultStatus") && message.resultStatus !== "")
                    writer.uint32(/* id 10, wireType 2 =*/82).string(message.resultStatus);
                if (message.sourceId != null && $Object.hasOwnProperty.call(message, "sourceId") && message.sourceId !== "")
                    writer.uint32(/* id 11, wireType 2 =*/90).string(message.sourceId);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ClinicalObservation message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.ClinicalObservation & amoskys.v1.ClinicalObservation.$Shape} ClinicalObservation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ClinicalObservation.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.ClinicalObservation();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.codeSystem = value;
                            else
                                delete message.codeSystem;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.code = value;
                            else
                                delete message.code;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.display = value;
                            else
                                delete message.display;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.value = value;
                            else
                                delete message.value;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.numericValue = value;
                            else
                                delete message.numericValue;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.isNumeric = value;
                            else
                                delete message.isNumeric;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.unit = value;
                            else
                                delete message.unit;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.referenceRange = value;
                            else
                                delete message.referenceRange;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.abnormalFlag = value;
                            else
                                delete message.abnormalFlag;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.resultStatus = value;
                            else
                                delete message.resultStatus;
                            continue;
                        }
                    case 11: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sourceId = value;
                            else
                                delete message.sourceId;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ClinicalObservation message.
             * @function verify
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ClinicalObservation.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.codeSystem != null && $Object.hasOwnProperty.call(message, "codeSystem"))
                    if (!$util.isString(message.codeSystem))
                        return "codeSystem: string expected";
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    if (!$util.isString(message.code))
                        return "code: string expected";
                if (message.display != null && $Object.hasOwnProperty.call(message, "display"))
                    if (!$util.isString(message.display))
                        return "display: string expected";
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    if (!$util.isString(message.value))
                        return "value: string expected";
                if (message.numericValue != null && $Object.hasOwnProperty.call(message, "numericValue"))
                    if (typeof message.numericValue !== "number")
                        return "numericValue: number expected";
                if (message.isNumeric != null && $Object.hasOwnProperty.call(message, "isNumeric"))
                    if (typeof message.isNumeric !== "boolean")
                        return "isNumeric: boolean expected";
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit"))
                    if (!$util.isString(message.unit))
                        return "unit: string expected";
                if (message.referenceRange != null && $Object.hasOwnProperty.call(message, "referenceRange"))
                    if (!$util.isString(message.referenceRange))
                        return "referenceRange: string expected";
                if (message.abnormalFlag != null && $Object.hasOwnProperty.call(message, "abnormalFlag"))
                    if (!$util.isString(message.abnormalFlag))
                        return "abnormalFlag: string expected";
                if (message.resultStatus != null && $Object.hasOwnProperty.call(message, "resultStatus"))
                    if (!$util.isString(message.resultStatus))
                        return "resultStatus: string expected";
                if (message.sourceId != null && $Object.hasOwnProperty.call(message, "sourceId"))
                    if (!$util.isString(message.sourceId))
                        return "sourceId: string expected";
                return null;
            };

            /**
             * Creates a ClinicalObservation message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.ClinicalObservation} ClinicalObservation
             */
            ClinicalObservation.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.ClinicalObservation)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.ClinicalObservation: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.ClinicalObservation();
                if (object.codeSystem != null)
                    if (typeof object.codeSystem !== "string" || object.codeSystem.length)
                        message.codeSystem = $String(object.codeSystem);
                if (object.code != null)
                    if (typeof object.code !== "string" || object.code.length)
                        message.code = $String(object.code);
                if (object.display != null)
                    if (typeof object.display !== "string" || object.display.length)
                        message.display = $String(object.display);
                if (object.value != null)
                    if (typeof object.value !== "string" || object.value.length)
                        message.value = $String(object.value);
                if (object.numericValue != null)
                    if (!$Object.is($Number(object.numericValue), 0))
                        message.numericValue = $Number(object.numericValue);
                if (object.isNumeric != null)
                    if (object.isNumeric)
                        message.isNumeric = $Boolean(object.isNumeric);
                if (object.unit != null)
                    if (typeof object.unit !== "string" || object.unit.length)
                        message.unit = $String(object.unit);
                if (object.referenceRange != null)
                    if (typeof object.referenceRange !== "string" || object.referenceRange.length)
                        message.referenceRange = $String(object.referenceRange);
                if (object.abnormalFlag != null)
                    if (typeof object.abnormalFlag !== "string" || object.abnormalFlag.length)
                        message.abnormalFlag = $String(object.abnormalFlag);
                if (object.resultStatus != null)
                    if (typeof object.resultStatus !== "string" || object.resultStatus.length)
                        message.resultStatus = $String(object.resultStatus);
                if (object.sourceId != null)
                    if (typeof object.sourceId !== "string" || object.sourceId.length)
                        message.sourceId = $String(object.sourceId);
                return message;
            };

            /**
             * Creates a plain object from a ClinicalObservation message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.ClinicalObservation
             * @static
             * @param {amoskys.v1.ClinicalObservation} message ClinicalObservation
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ClinicalObservation.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.codeSystem = "";
                    object.code = "";
                    object.display = "";
                    object.value = "";
                    object.numericValue = 0;
                    object.isNumeric = false;
                    object.unit = "";
                    object.referenceRange = "";
                    object.abnormalFlag = "";
                    object.resultStatus = "";
                    object.sourceId = "";
                }
                if (message.codeSystem != null && $Object.hasOwnProperty.call(message, "codeSystem"))
                    object.codeSystem = message.codeSystem;
                if (message.code != null && $Object.hasOwnProperty.call(message, "code"))
                    object.code = message.code;
                if (message.display != null && $Object.hasOwnProperty.call(message, "display"))
                    object.display = message.display;
                if (message.value != null && $Object.hasOwnProperty.call(message, "value"))
                    object.value = message.value;
                if (message.numericValue != null && $Object.hasOwnProperty.call(message, "numericValue"))
                    object.numericValue = options.json && !$isFinite(message.numericValue) ? $String(message.numericValue) : message.numericValue;
                if (message.isNumeric != null && $Object.hasOwnProperty.call(message, "isNumeric"))
                    object.isNumeric = message.isNumeric;
                if (message.unit != null && $Object.hasOwnProperty.call(message, "unit"))
                    object.unit = message.unit;
                if (message.referenceRange != null && $Object.hasOwnProperty.call(message, "referenceRange"))
                    object.referenceRange = message.referenceRange;
                if (message.abnormalFlag != null && $Object.hasOwnProperty.call(message, "abnormalFlag"))
                    object.abnormalFlag = message.abnormalFlag;
                if (message.resultStatus != null && $Object.hasOwnProperty.call(message, "resultStatus"))
                    object.resultStatus = message.resultStatus;
                if (message.sourceId != null && $Object.hasOwnProperty.call(message, "sourceId"))
                    object.sourceId = message.sourceId;
                return object;
            };

            /**
             * Converts this ClinicalObservation to JSON.
             * @function toJSON
             * @memberof amoskys.v1.ClinicalObservation
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ClinicalObservation.prototype.toJSON = function() {
                return ClinicalObservation.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ClinicalObservation;
        })();

        v1.Malformed = (function() {

            /**
             * Properties of a Malformed.
             * @typedef {Object} amoskys.v1.Malformed.$Properties
             * @property {amoskys.v1.SourceProtocol|null} [protocol] Malformed protocol
             * @property {string|null} [reason] Malformed reason
             * @property {Uint8Array|null} [sample] Malformed sample
             * @property {number|null} [length] Malformed length
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Malformed.
             * @memberof amoskys.v1
             * @interface IMalformed
             * @augments amoskys.v1.Malformed.$Properties
             * @deprecated Use amoskys.v1.Malformed.$Properties instead.
             */

            /**
             * Shape of a Malformed.
             * @typedef {amoskys.v1.Malformed.$Properties} amoskys.v1.Malformed.$Shape
             */

            /**
             * Constructs a new Malformed.
             * @memberof amoskys.v1
             * @classdesc Represents a Malformed.
             * @constructor
             * @param {amoskys.v1.Malformed.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Malformed = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Malformed protocol.
             * @member {amoskys.v1.SourceProtocol} protocol
             * @memberof amoskys.v1.Malformed
             * @instance
             */
            Malformed.prototype.protocol = 0;

            /**
             * Malformed reason.
             * @member {string} reason
             * @memberof amoskys.v1.Malformed
             * @instance
             */
            Malformed.prototype.reason = "";

            /**
             * Malformed sample.
             * @member {Uint8Array} sample
             * @memberof amoskys.v1.Malformed
             * @instance
             */
            Malformed.prototype.sample = $util.newBuffer([]);

            /**
             * Malformed length.
             * @member {number} length
             * @memberof amoskys.v1.Malformed
             * @instance
             */
            Malformed.prototype.length = 0;

            /**
             * Creates a new Malformed instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {amoskys.v1.Malformed.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.Malformed} Malformed instance
             * @type {{
             *   (properties: amoskys.v1.Malformed.$Shape): amoskys.v1.Malformed & amoskys.v1.Malformed.$Shape;
             *   (properties?: amoskys.v1.Malformed.$Properties): amoskys.v1.Malformed;
             * }}
             */
            Malformed.create = function(properties) {
                return new Malformed(properties);
            };

            /**
             * Encodes the specified Malformed message. Does not implicitly {@link amoskys.v1.Malformed.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {amoskys.v1.Malformed.$Properties} message Malformed message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Malformed.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.protocol);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.reason);
                if (message.sample != null && $Object.hasOwnProperty.call(message, "sample") && message.sample.length)
                    writer.uint32(/* id 3, wireType 2 =*/26).bytes(message.sample);
                if (message.length != null && $Object.hasOwnProperty.call(message, "length") && message.length !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.length);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Malformed message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.Malformed & amoskys.v1.Malformed.$Shape} Malformed
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Malformed.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.Malformed();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.sample = value;
                            else
                                delete message.sample;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.length = value;
                            else
                                delete message.length;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Malformed message.
             * @function verify
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Malformed.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    if (typeof message.protocol !== "number" || (message.protocol | 0) !== message.protocol)
                        return "protocol: enum value expected";
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    if (!$util.isString(message.reason))
                        return "reason: string expected";
                if (message.sample != null && $Object.hasOwnProperty.call(message, "sample"))
                    if (!(message.sample && typeof message.sample.length === "number" || $util.isString(message.sample)))
                        return "sample: buffer expected";
                if (message.length != null && $Object.hasOwnProperty.call(message, "length"))
                    if (!$util.isInteger(message.length))
                        return "length: integer expected";
                return null;
            };

            /**
             * Creates a Malformed message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.Malformed} Malformed
             */
            Malformed.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.Malformed)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.Malformed: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.Malformed();
                if (object.protocol !== 0 && (typeof object.protocol !== "string" || $root.amoskys.v1.SourceProtocol[object.protocol] !== 0))
                    switch (object.protocol) {
                    case "SOURCE_PROTOCOL_UNSPECIFIED":
                    case 0:
                        message.protocol = 0;
                        break;
                    case "SOURCE_PROTOCOL_SNMP":
                    case 1:
                        message.protocol = 1;
                        break;
                    case "SOURCE_PROTOCOL_SNMP_TRAP":
                    case 2:
                        message.protocol = 2;
                        break;
                    case "SOURCE_PROTOCOL_MQTT":
                    case 3:
                        message.protocol = 3;
                        break;
                    case "SOURCE_PROTOCOL_SPARKPLUG_B":
                    case 4:
                        message.protocol = 4;
                        break;
                    case "SOURCE_PROTOCOL_MODBUS":
                    case 5:
                        message.protocol = 5;
                        break;
                    case "SOURCE_PROTOCOL_SYSLOG":
                    case 6:
                        message.protocol = 6;
                        break;
                    case "SOURCE_PROTOCOL_HL7":
                    case 7:
                        message.protocol = 7;
                        break;
                    case "SOURCE_PROTOCOL_FHIR":
                    case 8:
                        message.protocol = 8;
                        break;
                    case "SOURCE_PROTOCOL_NETFLOW":
                    case 9:
                        message.protocol = 9;
                        break;
                    case "SOURCE_PROTOCOL_IPFIX":
                    case 10:
                        message.protocol = 10;
                        break;
                    case "SOURCE_PROTOCOL_PCAP":
                    case 11:
                        message.protocol = 11;
                        break;
                    case "SOURCE_PROTOCOL_DISCOVERY":
                    case 12:
                        message.protocol = 12;
                        break;
                    case "SOURCE_PROTOCOL_AGENT":
                    case 13:
                        message.protocol = 13;
                        break;
                    default:
                        if (typeof object.protocol === "number" && (object.protocol | 0) === object.protocol)
                            message.protocol = object.protocol;
                    }
                if (object.reason != null)
                    if (typeof object.reason !== "string" || object.reason.length)
                        message.reason = $String(object.reason);
                if (object.sample != null)
                    if (object.sample.length)
                        if (typeof object.sample === "string")
                            $util.base64.decode(object.sample, message.sample = $util.newBuffer($util.base64.length(object.sample)), 0);
                        else if (object.sample.length >= 0)
                            message.sample = object.sample;
                if (object.length != null)
                    if ($Number(object.length) !== 0)
                        message.length = object.length >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a Malformed message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.Malformed
             * @static
             * @param {amoskys.v1.Malformed} message Malformed
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Malformed.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.protocol = options.enums === $String ? "SOURCE_PROTOCOL_UNSPECIFIED" : 0;
                    object.reason = "";
                    if (options.bytes === $String)
                        object.sample = "";
                    else {
                        object.sample = [];
                        if (options.bytes !== $Array)
                            object.sample = $util.newBuffer(object.sample);
                    }
                    object.length = 0;
                }
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = options.enums === $String ? $root.amoskys.v1.SourceProtocol[message.protocol] === $undefined ? message.protocol : $root.amoskys.v1.SourceProtocol[message.protocol] : message.protocol;
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    object.reason = message.reason;
                if (message.sample != null && $Object.hasOwnProperty.call(message, "sample"))
                    object.sample = options.bytes === $String ? $util.base64.encode(message.sample, 0, message.sample.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.sample) : message.sample;
                if (message.length != null && $Object.hasOwnProperty.call(message, "length"))
                    object.length = message.length;
                return object;
            };

            /**
             * Converts this Malformed to JSON.
             * @function toJSON
             * @memberof amoskys.v1.Malformed
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Malformed.prototype.toJSON = function() {
                return Malformed.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Malformed;
        })();

        v1.WireEvent = (function() {

            /**
             * Properties of a WireEvent.
             * @typedef {Object} amoskys.v1.WireEvent.$Properties
             * @property {string|null} [protocol] WireEvent protocol
             * @property {string|null} [action] WireEvent action
             * @property {string|null} [srcAddress] WireEvent srcAddress
             * @property {number|null} [srcPort] WireEvent srcPort
             * @property {string|null} [dstAddress] WireEvent dstAddress
             * @property {number|null} [dstPort] WireEvent dstPort
             * @property {Object.<string,string>|null} [fields] WireEvent fields
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a WireEvent.
             * @memberof amoskys.v1
             * @interface IWireEvent
             * @augments amoskys.v1.WireEvent.$Properties
             * @deprecated Use amoskys.v1.WireEvent.$Properties instead.
             */

            /**
             * Shape of a WireEvent.
             * @typedef {amoskys.v1.WireEvent.$Properties} amoskys.v1.WireEvent.$Shape
             */

            /**
             * Constructs a new WireEvent.
             * @memberof amoskys.v1
             * @classdesc Represents a WireEvent.
             * @constructor
             * @param {amoskys.v1.WireEvent.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const WireEvent = function (properties) {
                this.fields = {};
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * WireEvent protocol.
             * @member {string} protocol
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.protocol = "";

            /**
             * WireEvent action.
             * @member {string} action
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.action = "";

            /**
             * WireEvent srcAddress.
             * @member {string} srcAddress
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.srcAddress = "";

            /**
             * WireEvent srcPort.
             * @member {number} srcPort
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.srcPort = 0;

            /**
             * WireEvent dstAddress.
             * @member {string} dstAddress
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.dstAddress = "";

            /**
             * WireEvent dstPort.
             * @member {number} dstPort
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.dstPort = 0;

            /**
             * WireEvent fields.
             * @member {Object.<string,string>} fields
             * @memberof amoskys.v1.WireEvent
             * @instance
             */
            WireEvent.prototype.fields = $util.emptyObject;

            /**
             * Creates a new WireEvent instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {amoskys.v1.WireEvent.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.WireEvent} WireEvent instance
             * @type {{
             *   (properties: amoskys.v1.WireEvent.$Shape): amoskys.v1.WireEvent & amoskys.v1.WireEvent.$Shape;
             *   (properties?: amoskys.v1.WireEvent.$Properties): amoskys.v1.WireEvent;
             * }}
             */
            WireEvent.create = function(properties) {
                return new WireEvent(properties);
            };

            /**
             * Encodes the specified WireEvent message. Does not implicitly {@link amoskys.v1.WireEvent.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {amoskys.v1.WireEvent.$Properties} message WireEvent message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            WireEvent.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol") && message.protocol !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.protocol);
                if (message.action != null && $Object.hasOwnProperty.call(message, "action") && message.action !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.action);
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress") && message.srcAddress !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.srcAddress);
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort") && message.srcPort !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.srcPort);
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress") && message.dstAddress !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.dstAddress);
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort") && message.dstPort !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).uint32(message.dstPort);
                if (message.fields != null && $Object.hasOwnProperty.call(message, "fields"))
                    for (let keys = $Object.keys(message.fields), i = 0; i < keys.length; ++i)
                        writer.uint32(/* id 7, wireType 2 =*/58).fork().uint32(/* id 1, wireType 2 =*/10).string(keys[i]).uint32(/* id 2, wireType 2 =*/18).string(message.fields[keys[i]]).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a WireEvent message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.WireEvent & amoskys.v1.WireEvent.$Shape} WireEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            WireEvent.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, key, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.WireEvent();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.protocol = value;
                            else
                                delete message.protocol;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.action = value;
                            else
                                delete message.action;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.srcAddress = value;
                            else
                                delete message.srcAddress;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.srcPort = value;
                            else
                                delete message.srcPort;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.dstAddress = value;
                            else
                                delete message.dstAddress;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.dstPort = value;
                            else
                                delete message.dstPort;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (message.fields === $util.emptyObject)
                                message.fields = {};
                            let end2 = reader.size() + reader.pos;
                            if (end2 > reader.len)
                                throw $RangeError("index out of range");
                            reader.len = end2;
                            key = "";
                            value = "";
                            while (reader.pos < end2) {
                                let tag2 = reader.tag();
                                wireType = tag2 & 7;
                                switch (tag2 >>>= 3) {
                                case 1:
                                    if (wireType !== 2)
                                        break;
                                    key = reader.stringVerify();
                                    continue;
                                case 2:
                                    if (wireType !== 2)
                                        break;
                                    value = reader.stringVerify();
                                    continue;
                                }
                                reader.skipType(wireType, _depth, tag2);
                            }
                            if (reader.pos !== end2)
                                throw $RangeError("index out of range");
                            reader.len = end;
                            if (key === "__proto__")
                                $util.makeProp(message.fields, key);
                            message.fields[key] = value;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a WireEvent message.
             * @function verify
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            WireEvent.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    if (!$util.isString(message.protocol))
                        return "protocol: string expected";
                if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                    if (!$util.isString(message.action))
                        return "action: string expected";
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress"))
                    if (!$util.isString(message.srcAddress))
                        return "srcAddress: string expected";
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    if (!$util.isInteger(message.srcPort))
                        return "srcPort: integer expected";
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress"))
                    if (!$util.isString(message.dstAddress))
                        return "dstAddress: string expected";
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    if (!$util.isInteger(message.dstPort))
                        return "dstPort: integer expected";
                if (message.fields != null && $Object.hasOwnProperty.call(message, "fields")) {
                    if (!$util.isObject(message.fields))
                        return "fields: object expected";
                    let key = $Object.keys(message.fields);
                    for (let i = 0; i < key.length; ++i)
                        if (!$util.isString(message.fields[key[i]]))
                            return "fields: string{k:string} expected";
                }
                return null;
            };

            /**
             * Creates a WireEvent message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.WireEvent} WireEvent
             */
            WireEvent.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.WireEvent)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.WireEvent: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.WireEvent();
                if (object.protocol != null)
                    if (typeof object.protocol !== "string" || object.protocol.length)
                        message.protocol = $String(object.protocol);
                if (object.action != null)
                    if (typeof object.action !== "string" || object.action.length)
                        message.action = $String(object.action);
                if (object.srcAddress != null)
                    if (typeof object.srcAddress !== "string" || object.srcAddress.length)
                        message.srcAddress = $String(object.srcAddress);
                if (object.srcPort != null)
                    if ($Number(object.srcPort) !== 0)
                        message.srcPort = object.srcPort >>> 0;
                if (object.dstAddress != null)
                    if (typeof object.dstAddress !== "string" || object.dstAddress.length)
                        message.dstAddress = $String(object.dstAddress);
                if (object.dstPort != null)
                    if ($Number(object.dstPort) !== 0)
                        message.dstPort = object.dstPort >>> 0;
                if (object.fields) {
                    if (!$util.isObject(object.fields))
                        throw $TypeError(".amoskys.v1.WireEvent.fields: object expected");
                    message.fields = {};
                    for (let keys = $Object.keys(object.fields), i = 0; i < keys.length; ++i) {
                        if (keys[i] === "__proto__")
                            $util.makeProp(message.fields, keys[i]);
                        message.fields[keys[i]] = $String(object.fields[keys[i]]);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a WireEvent message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.WireEvent
             * @static
             * @param {amoskys.v1.WireEvent} message WireEvent
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            WireEvent.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.objects || options.defaults)
                    object.fields = {};
                if (options.defaults) {
                    object.protocol = "";
                    object.action = "";
                    object.srcAddress = "";
                    object.srcPort = 0;
                    object.dstAddress = "";
                    object.dstPort = 0;
                }
                if (message.protocol != null && $Object.hasOwnProperty.call(message, "protocol"))
                    object.protocol = message.protocol;
                if (message.action != null && $Object.hasOwnProperty.call(message, "action"))
                    object.action = message.action;
                if (message.srcAddress != null && $Object.hasOwnProperty.call(message, "srcAddress"))
                    object.srcAddress = message.srcAddress;
                if (message.srcPort != null && $Object.hasOwnProperty.call(message, "srcPort"))
                    object.srcPort = message.srcPort;
                if (message.dstAddress != null && $Object.hasOwnProperty.call(message, "dstAddress"))
                    object.dstAddress = message.dstAddress;
                if (message.dstPort != null && $Object.hasOwnProperty.call(message, "dstPort"))
                    object.dstPort = message.dstPort;
                let keys2;
                if (message.fields && (keys2 = $Object.keys(message.fields)).length) {
                    object.fields = {};
                    for (let j = 0; j < keys2.length; ++j) {
                        if (keys2[j] === "__proto__")
                            $util.makeProp(object.fields, keys2[j]);
                        object.fields[keys2[j]] = message.fields[keys2[j]];
                    }
                }
                return object;
            };

            /**
             * Converts this WireEvent to JSON.
             * @function toJSON
             * @memberof amoskys.v1.WireEvent
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            WireEvent.prototype.toJSON = function() {
                return WireEvent.toObject(this, $protobuf.util.toJSONOptions);
            };

            return WireEvent;
        })();

        v1.TelemetryBatch = (function() {

            /**
             * Properties of a TelemetryBatch.
             * @typedef {Object} amoskys.v1.TelemetryBatch.$Properties
             * @property {Array.<amoskys.v1.TelemetryEvent.$Properties>|null} [events] TelemetryBatch events
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a TelemetryBatch.
             * @memberof amoskys.v1
             * @interface ITelemetryBatch
             * @augments amoskys.v1.TelemetryBatch.$Properties
             * @deprecated Use amoskys.v1.TelemetryBatch.$Properties instead.
             */

            /**
             * Shape of a TelemetryBatch.
             * @typedef {{
             *   events?: Array.<amoskys.v1.TelemetryEvent.$Shape>|null;
             *   $unknowns?: Array.<Uint8Array>;
             * }} amoskys.v1.TelemetryBatch.$Shape
             */

            /**
             * Constructs a new TelemetryBatch.
             * @memberof amoskys.v1
             * @classdesc Represents a TelemetryBatch.
             * @constructor
             * @param {amoskys.v1.TelemetryBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const TelemetryBatch = function (properties) {
                this.events = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * TelemetryBatch events.
             * @member {Array.<amoskys.v1.TelemetryEvent.$Properties>} events
             * @memberof amoskys.v1.TelemetryBatch
             * @instance
             */
            TelemetryBatch.prototype.events = $util.emptyArray;

            /**
             * Creates a new TelemetryBatch instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {amoskys.v1.TelemetryBatch.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.TelemetryBatch} TelemetryBatch instance
             * @type {{
             *   (properties: amoskys.v1.TelemetryBatch.$Shape): amoskys.v1.TelemetryBatch & amoskys.v1.TelemetryBatch.$Shape;
             *   (properties?: amoskys.v1.TelemetryBatch.$Properties): amoskys.v1.TelemetryBatch;
             * }}
             */
            TelemetryBatch.create = function(properties) {
                return new TelemetryBatch(properties);
            };

            /**
             * Encodes the specified TelemetryBatch message. Does not implicitly {@link amoskys.v1.TelemetryBatch.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {amoskys.v1.TelemetryBatch.$Properties} message TelemetryBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            TelemetryBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.events != null && message.events.length)
                    for (let i = 0; i < message.events.length; ++i)
                        $root.amoskys.v1.TelemetryEvent.encode(message.events[i], writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a TelemetryBatch message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.TelemetryBatch & amoskys.v1.TelemetryBatch.$Shape} TelemetryBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            TelemetryBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.TelemetryBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if (!(message.events && message.events.length))
                                message.events = [];
                            message.events.push($root.amoskys.v1.TelemetryEvent.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a TelemetryBatch message.
             * @function verify
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            TelemetryBatch.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.events != null && $Object.hasOwnProperty.call(message, "events")) {
                    if (!$Array.isArray(message.events))
                        return "events: array expected";
                    for (let i = 0; i < message.events.length; ++i) {
                        let error = $root.amoskys.v1.TelemetryEvent.verify(message.events[i], _depth + 1);
                        if (error)
                            return "events." + error;
                    }
                }
                return null;
            };

            /**
             * Creates a TelemetryBatch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.TelemetryBatch} TelemetryBatch
             */
            TelemetryBatch.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.TelemetryBatch)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.TelemetryBatch: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.TelemetryBatch();
                if (object.events) {
                    if (!$Array.isArray(object.events))
                        throw $TypeError(".amoskys.v1.TelemetryBatch.events: array expected");
                    message.events = $Array(object.events.length);
                    for (let i = 0; i < object.events.length; ++i) {
                        if (!$util.isObject(object.events[i]))
                            throw $TypeError(".amoskys.v1.TelemetryBatch.events: object expected");
                        message.events[i] = $root.amoskys.v1.TelemetryEvent.fromObject(object.events[i], _depth + 1);
                    }
                }
                return message;
            };

            /**
             * Creates a plain object from a TelemetryBatch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.TelemetryBatch
             * @static
             * @param {amoskys.v1.TelemetryBatch} message TelemetryBatch
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            TelemetryBatch.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.events = [];
                if (message.events && message.events.length) {
                    object.events = $Array(message.events.length);
                    for (let j = 0; j < message.events.length; ++j)
                        object.events[j] = $root.amoskys.v1.TelemetryEvent.toObject(message.events[j], options, _depth + 1);
                }
                return object;
            };

            /**
             * Converts this TelemetryBatch to JSON.
             * @function toJSON
             * @memberof amoskys.v1.TelemetryBatch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            TelemetryBatch.prototype.toJSON = function() {
                return TelemetryBatch.toObject(this, $protobuf.util.toJSONOptions);
            };

            return TelemetryBatch;
        })();

        /**
         * Compression enum.
         * @name amoskys.v1.Compression
         * @enum {number}
         * @property {number} COMPRESSION_NONE=0 COMPRESSION_NONE value
         * @property {number} COMPRESSION_GZIP=1 COMPRESSION_GZIP value
         * @property {number} COMPRESSION_ZSTD=2 COMPRESSION_ZSTD value
         */
        v1.Compression = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "COMPRESSION_NONE"] = 0;
            values[valuesById[1] = "COMPRESSION_GZIP"] = 1;
            values[valuesById[2] = "COMPRESSION_ZSTD"] = 2;
            return values;
        })();

        v1.SignedBatch = (function() {

            /**
             * Properties of a SignedBatch.
             * @typedef {Object} amoskys.v1.SignedBatch.$Properties
             * @property {number|null} [schemaVersion] SignedBatch schemaVersion
             * @property {string|null} [producerId] SignedBatch producerId
             * @property {string|null} [keyId] SignedBatch keyId
             * @property {number|null} [sequence] SignedBatch sequence
             * @property {Uint8Array|null} [prevHash] SignedBatch prevHash
             * @property {number|null} [createdUnixMs] SignedBatch createdUnixMs
             * @property {amoskys.v1.Compression|null} [compression] SignedBatch compression
             * @property {Uint8Array|null} [payload] SignedBatch payload
             * @property {Uint8Array|null} [signature] SignedBatch signature
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a SignedBatch.
             * @memberof amoskys.v1
             * @interface ISignedBatch
             * @augments amoskys.v1.SignedBatch.$Properties
             * @deprecated Use amoskys.v1.SignedBatch.$Properties instead.
             */

            /**
             * Shape of a SignedBatch.
             * @typedef {amoskys.v1.SignedBatch.$Properties} amoskys.v1.SignedBatch.$Shape
             */

            /**
             * Constructs a new SignedBatch.
             * @memberof amoskys.v1
             * @classdesc Represents a SignedBatch.
             * @constructor
             * @param {amoskys.v1.SignedBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const SignedBatch = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * SignedBatch schemaVersion.
             * @member {number} schemaVersion
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.schemaVersion = 0;

            /**
             * SignedBatch producerId.
             * @member {string} producerId
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.producerId = "";

            /**
             * SignedBatch keyId.
             * @member {string} keyId
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.keyId = "";

            /**
             * SignedBatch sequence.
             * @member {number} sequence
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SignedBatch prevHash.
             * @member {Uint8Array} prevHash
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.prevHash = $util.newBuffer([]);

            /**
             * SignedBatch createdUnixMs.
             * @member {number} createdUnixMs
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.createdUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * SignedBatch compression.
             * @member {amoskys.v1.Compression} compression
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.compression = 0;

            /**
             * SignedBatch payload.
             * @member {Uint8Array} payload
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.payload = $util.newBuffer([]);

            /**
             * SignedBatch signature.
             * @member {Uint8Array} signature
             * @memberof amoskys.v1.SignedBatch
             * @instance
             */
            SignedBatch.prototype.signature = $util.newBuffer([]);

            /**
             * Creates a new SignedBatch instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {amoskys.v1.SignedBatch.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.SignedBatch} SignedBatch instance
             * @type {{
             *   (properties: amoskys.v1.SignedBatch.$Shape): amoskys.v1.SignedBatch & amoskys.v1.SignedBatch.$Shape;
             *   (properties?: amoskys.v1.SignedBatch.$Properties): amoskys.v1.SignedBatch;
             * }}
             */
            SignedBatch.create = function(properties) {
                return new SignedBatch(properties);
            };

            /**
             * Encodes the specified SignedBatch message. Does not implicitly {@link amoskys.v1.SignedBatch.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {amoskys.v1.SignedBatch.$Properties} message SignedBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            SignedBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion") && message.schemaVersion !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).uint32(message.schemaVersion);
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId") && message.producerId !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.producerId);
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId") && message.keyId !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.keyId);
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence") && (typeof message.sequence === "object" ? message.sequence.low || message.sequence.high : message.sequence !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).uint64(message.sequence);
                if (message.prevHash != null && $Object.hasOwnProperty.call(message, "prevHash") && message.prevHash.length)
                    writer.uint32(/* id 5, wireType 2 =*/42).bytes(message.prevHash);
                if (message.createdUnixMs != null && $Object.hasOwnProperty.call(message, "createdUnixMs") && (typeof message.createdUnixMs === "object" ? message.createdUnixMs.low || message.createdUnixMs.high : message.createdUnixMs !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.createdUnixMs);
                if (message.compression != null && $Object.hasOwnProperty.call(message, "compression") && message.compression !== 0)
                    writer.uint32(/* id 7, wireType 0 =*/56).int32(message.compression);
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                    writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.payload);
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature") && message.signature.length)
                    writer.uint32(/* id 9, wireType 2 =*/74).bytes(message.signature);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a SignedBatch message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.SignedBatch & amoskys.v1.SignedBatch.$Shape} SignedBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            SignedBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.SignedBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.schemaVersion = value;
                            else
                                delete message.schemaVersion;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.producerId = value;
                            else
                                delete message.producerId;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.keyId = value;
                            else
                                delete message.keyId;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sequence = value;
                            else
                                delete message.sequence;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.prevHash = value;
                            else
                                delete message.prevHash;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.createdUnixMs = value;
                            else
                                delete message.createdUnixMs;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.compression = value;
                            else
                                delete message.compression;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.payload = value;
                            else
                                delete message.payload;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.signature = value;
                            else
                                delete message.signature;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a SignedBatch message.
             * @function verify
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            SignedBatch.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion"))
                    if (!$util.isInteger(message.schemaVersion))
                        return "schemaVersion: integer expected";
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId"))
                    if (!$util.isString(message.producerId))
                        return "producerId: string expected";
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId"))
                    if (!$util.isString(message.keyId))
                        return "keyId: string expected";
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (!$util.isInteger(message.sequence) && !(message.sequence && $util.isInteger(message.sequence.low) && $util.isInteger(message.sequence.high)))
                        return "sequence: integer|Long expected";
                if (message.prevHash != null && $Object.hasOwnProperty.call(message, "prevHash"))
                    if (!(message.prevHash && typeof message.prevHash.length === "number" || $util.isString(message.prevHash)))
                        return "prevHash: buffer expected";
                if (message.createdUnixMs != null && $Object.hasOwnProperty.call(message, "createdUnixMs"))
                    if (!$util.isInteger(message.createdUnixMs) && !(message.createdUnixMs && $util.isInteger(message.createdUnixMs.low) && $util.isInteger(message.createdUnixMs.high)))
                        return "createdUnixMs: integer|Long expected";
                if (message.compression != null && $Object.hasOwnProperty.call(message, "compression"))
                    if (typeof message.compression !== "number" || (message.compression | 0) !== message.compression)
                        return "compression: enum value expected";
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    if (!(message.payload && typeof message.payload.length === "number" || $util.isString(message.payload)))
                        return "payload: buffer expected";
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature"))
                    if (!(message.signature && typeof message.signature.length === "number" || $util.isString(message.signature)))
                        return "signature: buffer expected";
                return null;
            };

            /**
             * Creates a SignedBatch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.SignedBatch} SignedBatch
             */
            SignedBatch.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.SignedBatch)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.SignedBatch: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.SignedBatch();
                if (object.schemaVersion != null)
                    if ($Number(object.schemaVersion) !== 0)
                        message.schemaVersion = object.schemaVersion >>> 0;
                if (object.producerId != null)
                    if (typeof object.producerId !== "string" || object.producerId.length)
                        message.producerId = $String(object.producerId);
                if (object.keyId != null)
                    if (typeof object.keyId !== "string" || object.keyId.length)
                        message.keyId = $String(object.keyId);
                if (object.sequence != null)
                    if (typeof object.sequence === "object" ? object.sequence.low || object.sequence.high : $Number(object.sequence) !== 0)
                        if ($util.Long)
                            message.sequence = $util.Long.fromValue(object.sequence, true);
                        else if (typeof object.sequence === "string")
                            message.sequence = $parseInt(object.sequence, 10);
                        else if (typeof object.sequence === "number")
                            message.sequence = object.sequence;
                        else if (typeof object.sequence === "object")
                            message.sequence = new $util.LongBits(object.sequence.low >>> 0, object.sequence.high >>> 0).toNumber(true);
                if (object.prevHash != null)
                    if (object.prevHash.length)
                        if (typeof object.prevHash === "string")
                            $util.base64.decode(object.prevHash, message.prevHash = $util.newBuffer($util.base64.length(object.prevHash)), 0);
                        else if (object.prevHash.length >= 0)
                            message.prevHash = object.prevHash;
                if (object.createdUnixMs != null)
                    if (typeof object.createdUnixMs === "object" ? object.createdUnixMs.low || object.createdUnixMs.high : $Number(object.createdUnixMs) !== 0)
                        if ($util.Long)
                            message.createdUnixMs = $util.Long.fromValue(object.createdUnixMs, true);
                        else if (typeof object.createdUnixMs === "string")
                            message.createdUnixMs = $parseInt(object.createdUnixMs, 10);
                        else if (typeof object.createdUnixMs === "number")
                            message.createdUnixMs = object.createdUnixMs;
                        else if (typeof object.createdUnixMs === "object")
                            message.createdUnixMs = new $util.LongBits(object.createdUnixMs.low >>> 0, object.createdUnixMs.high >>> 0).toNumber(true);
                if (object.compression !== 0 && (typeof object.compression !== "string" || $root.amoskys.v1.Compression[object.compression] !== 0))
                    switch (object.compression) {
                    case "COMPRESSION_NONE":
                    case 0:
                        message.compression = 0;
                        break;
                    case "COMPRESSION_GZIP":
                    case 1:
                        message.compression = 1;
                        break;
                    case "COMPRESSION_ZSTD":
                    case 2:
                        message.compression = 2;
                        break;
                    default:
                        if (typeof object.compression === "number" && (object.compression | 0) === object.compression)
                            message.compression = object.compression;
                    }
                if (object.payload != null)
                    if (object.payload.length)
                        if (typeof object.payload === "string")
                            $util.base64.decode(object.payload, message.payload = $util.newBuffer($util.base64.length(object.payload)), 0);
                        else if (object.payload.length >= 0)
                            message.payload = object.payload;
                if (object.signature != null)
                    if (object.signature.length)
                        if (typeof object.signature === "string")
                            $util.base64.decode(object.signature, message.signature = $util.newBuffer($util.base64.length(object.signature)), 0);
                        else if (object.signature.length >= 0)
                            message.signature = object.signature;
                return message;
            };

            /**
             * Creates a plain object from a SignedBatch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.SignedBatch
             * @static
             * @param {amoskys.v1.SignedBatch} message SignedBatch
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            SignedBatch.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.schemaVersion = 0;
                    object.producerId = "";
                    object.keyId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sequence = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sequence = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if (options.bytes === $String)
                        object.prevHash = "";
                    else {
                        object.prevHash = [];
                        if (options.bytes !== $Array)
                            object.prevHash = $util.newBuffer(object.prevHash);
                    }
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.createdUnixMs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.createdUnixMs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.compression = options.enums === $String ? "COMPRESSION_NONE" : 0;
                    if (options.bytes === $String)
                        object.payload = "";
                    else {
                        object.payload = [];
                        if (options.bytes !== $Array)
                            object.payload = $util.newBuffer(object.payload);
                    }
                    if (options.bytes === $String)
                        object.signature = "";
                    else {
                        object.signature = [];
                        if (options.bytes !== $Array)
                            object.signature = $util.newBuffer(object.signature);
                    }
                }
                if (message.schemaVersion != null && $Object.hasOwnProperty.call(message, "schemaVersion"))
                    object.schemaVersion = message.schemaVersion;
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId"))
                    object.producerId = message.producerId;
                if (message.keyId != null && $Object.hasOwnProperty.call(message, "keyId"))
                    object.keyId = message.keyId;
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sequence = typeof message.sequence === "number" ? $BigInt(message.sequence) : $util.Long.fromBits(message.sequence.low >>> 0, message.sequence.high >>> 0, true).toBigInt();
                    else if (typeof message.sequence === "number")
                        object.sequence = options.longs === $String ? $String(message.sequence) : message.sequence;
                    else
                        object.sequence = options.longs === $String ? $util.Long.prototype.toString.call(message.sequence) : options.longs === $Number ? new $util.LongBits(message.sequence.low >>> 0, message.sequence.high >>> 0).toNumber(true) : message.sequence;
                if (message.prevHash != null && $Object.hasOwnProperty.call(message, "prevHash"))
                    object.prevHash = options.bytes === $String ? $util.base64.encode(message.prevHash, 0, message.prevHash.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.prevHash) : message.prevHash;
                if (message.createdUnixMs != null && $Object.hasOwnProperty.call(message, "createdUnixMs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.createdUnixMs = typeof message.createdUnixMs === "number" ? $BigInt(message.createdUnixMs) : $util.Long.fromBits(message.createdUnixMs.low >>> 0, message.createdUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof message.createdUnixMs === "number")
                        object.createdUnixMs = options.longs === $String ? $String(message.createdUnixMs) : message.createdUnixMs;
                    else
                        object.createdUnixMs = options.longs === $String ? $util.Long.prototype.toString.call(message.createdUnixMs) : options.longs === $Number ? new $util.LongBits(message.createdUnixMs.low >>> 0, message.createdUnixMs.high >>> 0).toNumber(true) : message.createdUnixMs;
                if (message.compression != null && $Object.hasOwnProperty.call(message, "compression"))
                    object.compression = options.enums === $String ? $root.amoskys.v1.Compression[message.compression] === $undefined ? message.compression : $root.amoskys.v1.Compression[message.compression] : message.compression;
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    object.payload = options.bytes === $String ? $util.base64.encode(message.payload, 0, message.payload.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.payload) : message.payload;
                if (message.signature != null && $Object.hasOwnProperty.call(message, "signature"))
                    object.signature = options.bytes === $String ? $util.base64.encode(message.signature, 0, message.signature.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.signature) : message.signature;
                return object;
            };

            /**
             * Converts this SignedBatch to JSON.
             * @function toJSON
             * @memberof amoskys.v1.SignedBatch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            SignedBatch.prototype.toJSON = function() {
                return SignedBatch.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SignedBatch;
        })();

        v1.PublishRequest = (function() {

            /**
             * Properties of a PublishRequest.
             * @typedef {Object} amoskys.v1.PublishRequest.$Properties
             * @property {amoskys.v1.SignedBatch.$Properties|null} [batch] PublishRequest batch
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PublishRequest.
             * @memberof amoskys.v1
             * @interface IPublishRequest
             * @augments amoskys.v1.PublishRequest.$Properties
             * @deprecated Use amoskys.v1.PublishRequest.$Properties instead.
             */

            /**
             * Shape of a PublishRequest.
             * @typedef {amoskys.v1.PublishRequest.$Properties} amoskys.v1.PublishRequest.$Shape
             */

            /**
             * Constructs a new PublishRequest.
             * @memberof amoskys.v1
             * @classdesc Represents a PublishRequest.
             * @constructor
             * @param {amoskys.v1.PublishRequest.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PublishRequest = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PublishRequest batch.
             * @member {amoskys.v1.SignedBatch.$Properties|null|undefined} batch
             * @memberof amoskys.v1.PublishRequest
             * @instance
             */
            PublishRequest.prototype.batch = null;

            /**
             * Creates a new PublishRequest instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {amoskys.v1.PublishRequest.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.PublishRequest} PublishRequest instance
             * @type {{
             *   (properties: amoskys.v1.PublishRequest.$Shape): amoskys.v1.PublishRequest & amoskys.v1.PublishRequest.$Shape;
             *   (properties?: amoskys.v1.PublishRequest.$Properties): amoskys.v1.PublishRequest;
             * }}
             */
            PublishRequest.create = function(properties) {
                return new PublishRequest(properties);
            };

            /**
             * Encodes the specified PublishRequest message. Does not implicitly {@link amoskys.v1.PublishRequest.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {amoskys.v1.PublishRequest.$Properties} message PublishRequest message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PublishRequest.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.batch != null && $Object.hasOwnProperty.call(message, "batch"))
                    $root.amoskys.v1.SignedBatch.encode(message.batch, writer.uint32(/* id 1, wireType 2 =*/10).fork(), _depth + 1).ldelim();
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a PublishRequest message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.PublishRequest & amoskys.v1.PublishRequest.$Shape} PublishRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PublishRequest.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.PublishRequest();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            message.batch = $root.amoskys.v1.SignedBatch.decode(reader, reader.size(), $undefined, _depth + 1, message.batch);
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a PublishRequest message.
             * @function verify
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PublishRequest.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.batch != null && $Object.hasOwnProperty.call(message, "batch")) {
                    let error = $root.amoskys.v1.SignedBatch.verify(message.batch, _depth + 1);
                    if (error)
                        return "batch." + error;
                }
                return null;
            };

            /**
             * Creates a PublishRequest message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.PublishRequest} PublishRequest
             */
            PublishRequest.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.PublishRequest)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.PublishRequest: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.PublishRequest();
                if (object.batch != null) {
                    if (!$util.isObject(object.batch))
                        throw $TypeError(".amoskys.v1.PublishRequest.batch: object expected");
                    message.batch = $root.amoskys.v1.SignedBatch.fromObject(object.batch, _depth + 1);
                }
                return message;
            };

            /**
             * Creates a plain object from a PublishRequest message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.PublishRequest
             * @static
             * @param {amoskys.v1.PublishRequest} message PublishRequest
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PublishRequest.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults)
                    object.batch = null;
                if (message.batch != null && $Object.hasOwnProperty.call(message, "batch"))
                    object.batch = $root.amoskys.v1.SignedBatch.toObject(message.batch, options, _depth + 1);
                return object;
            };

            /**
             * Converts this PublishRequest to JSON.
             * @function toJSON
             * @memberof amoskys.v1.PublishRequest
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PublishRequest.prototype.toJSON = function() {
                return PublishRequest.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PublishRequest;
        })();

        /**
         * AckStatus enum.
         * @name amoskys.v1.AckStatus
         * @enum {number}
         * @property {number} ACK_STATUS_UNSPECIFIED=0 ACK_STATUS_UNSPECIFIED value
         * @property {number} ACK_STATUS_OK=1 ACK_STATUS_OK value
         * @property {number} ACK_STATUS_RETRY=2 ACK_STATUS_RETRY value
         * @property {number} ACK_STATUS_INVALID=3 ACK_STATUS_INVALID value
         * @property {number} ACK_STATUS_UNAUTHORIZED=4 ACK_STATUS_UNAUTHORIZED value
         */
        v1.AckStatus = (function() {
            const valuesById = $Object.create(null), values = $Object.create(valuesById);
            values[valuesById[0] = "ACK_STATUS_UNSPECIFIED"] = 0;
            values[valuesById[1] = "ACK_STATUS_OK"] = 1;
            values[valuesById[2] = "ACK_STATUS_RETRY"] = 2;
            values[valuesById[3] = "ACK_STATUS_INVALID"] = 3;
            values[valuesById[4] = "ACK_STATUS_UNAUTHORIZED"] = 4;
            return values;
        })();

        v1.PublishAck = (function() {

            /**
             * Properties of a PublishAck.
             * @typedef {Object} amoskys.v1.PublishAck.$Properties
             * @property {string|null} [producerId] PublishAck producerId
             * @property {number|null} [sequence] PublishAck sequence
             * @property {amoskys.v1.AckStatus|null} [status] PublishAck status
             * @property {number|null} [retryAfterMs] PublishAck retryAfterMs
             * @property {string|null} [reason] PublishAck reason
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a PublishAck.
             * @memberof amoskys.v1
             * @interface IPublishAck
             * @augments amoskys.v1.PublishAck.$Properties
             * @deprecated Use amoskys.v1.PublishAck.$Properties instead.
             */

            /**
             * Shape of a PublishAck.
             * @typedef {amoskys.v1.PublishAck.$Properties} amoskys.v1.PublishAck.$Shape
             */

            /**
             * Constructs a new PublishAck.
             * @memberof amoskys.v1
             * @classdesc Represents a PublishAck.
             * @constructor
             * @param {amoskys.v1.PublishAck.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const PublishAck = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * PublishAck producerId.
             * @member {string} producerId
             * @memberof amoskys.v1.PublishAck
             * @instance
             */
            PublishAck.prototype.producerId = "";

            /**
             * PublishAck sequence.
             * @member {number} sequence
             * @memberof amoskys.v1.PublishAck
             * @instance
             */
            PublishAck.prototype.sequence = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * PublishAck status.
             * @member {amoskys.v1.AckStatus} status
             * @memberof amoskys.v1.PublishAck
             * @instance
             */
            PublishAck.prototype.status = 0;

            /**
             * PublishAck retryAfterMs.
             * @member {number} retryAfterMs
             * @memberof amoskys.v1.PublishAck
             * @instance
             */
            PublishAck.prototype.retryAfterMs = 0;

            /**
             * PublishAck reason.
             * @member {string} reason
             * @memberof amoskys.v1.PublishAck
             * @instance
             */
            PublishAck.prototype.reason = "";

            /**
             * Creates a new PublishAck instance using the specified properties.
             * @function create
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {amoskys.v1.PublishAck.$Properties=} [properties] Properties to set
             * @returns {amoskys.v1.PublishAck} PublishAck instance
             * @type {{
             *   (properties: amoskys.v1.PublishAck.$Shape): amoskys.v1.PublishAck & amoskys.v1.PublishAck.$Shape;
             *   (properties?: amoskys.v1.PublishAck.$Properties): amoskys.v1.PublishAck;
             * }}
             */
            PublishAck.create = function(properties) {
                return new PublishAck(properties);
            };

            /**
             * Encodes the specified PublishAck message. Does not implicitly {@link amoskys.v1.PublishAck.verify|verify} messages.
             * @function encode
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {amoskys.v1.PublishAck.$Properties} message PublishAck message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            PublishAck.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId") && message.producerId !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.producerId);
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence") && (typeof message.sequence === "object" ? message.sequence.low || message.sequence.high : message.sequence !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).uint64(message.sequence);
                if (message.status != null && $Object.hasOwnProperty.call(message, "status") && message.status !== 0)
                    writer.uint32(/* id 3, wireType 0 =*/24).int32(message.status);
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs") && message.retryAfterMs !== 0)
                    writer.uint32(/* id 4, wireType 0 =*/32).uint32(message.retryAfterMs);
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.reason);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a PublishAck message from the specified reader or buffer.
             * @function decode
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {amoskys.v1.PublishAck & amoskys.v1.PublishAck.$Shape} PublishAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            PublishAck.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.amoskys.v1.PublishAck();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.producerId = value;
                            else
                                delete message.producerId;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.sequence = value;
                            else
                                delete message.sequence;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.status = value;
                            else
                                delete message.status;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.retryAfterMs = value;
                            else
                                delete message.retryAfterMs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a PublishAck message.
             * @function verify
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            PublishAck.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId"))
                    if (!$util.isString(message.producerId))
                        return "producerId: string expected";
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (!$util.isInteger(message.sequence) && !(message.sequence && $util.isInteger(message.sequence.low) && $util.isInteger(message.sequence.high)))
                        return "sequence: integer|Long expected";
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    if (typeof message.status !== "number" || (message.status | 0) !== message.status)
                        return "status: enum value expected";
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs"))
                    if (!$util.isInteger(message.retryAfterMs))
                        return "retryAfterMs: integer expected";
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    if (!$util.isString(message.reason))
                        return "reason: string expected";
                return null;
            };

            /**
             * Creates a PublishAck message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {amoskys.v1.PublishAck} PublishAck
             */
            PublishAck.fromObject = function (object, _depth) {
                if (object instanceof $root.amoskys.v1.PublishAck)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".amoskys.v1.PublishAck: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.amoskys.v1.PublishAck();
                if (object.producerId != null)
                    if (typeof object.producerId !== "string" || object.producerId.length)
                        message.producerId = $String(object.producerId);
                if (object.sequence != null)
                    if (typeof object.sequence === "object" ? object.sequence.low || object.sequence.high : $Number(object.sequence) !== 0)
                        if ($util.Long)
                            message.sequence = $util.Long.fromValue(object.sequence, true);
                        else if (typeof object.sequence === "string")
                            message.sequence = $parseInt(object.sequence, 10);
                        else if (typeof object.sequence === "number")
                            message.sequence = object.sequence;
                        else if (typeof object.sequence === "object")
                            message.sequence = new $util.LongBits(object.sequence.low >>> 0, object.sequence.high >>> 0).toNumber(true);
                if (object.status !== 0 && (typeof object.status !== "string" || $root.amoskys.v1.AckStatus[object.status] !== 0))
                    switch (object.status) {
                    case "ACK_STATUS_UNSPECIFIED":
                    case 0:
                        message.status = 0;
                        break;
                    case "ACK_STATUS_OK":
                    case 1:
                        message.status = 1;
                        break;
                    case "ACK_STATUS_RETRY":
                    case 2:
                        message.status = 2;
                        break;
                    case "ACK_STATUS_INVALID":
                    case 3:
                        message.status = 3;
                        break;
                    case "ACK_STATUS_UNAUTHORIZED":
                    case 4:
                        message.status = 4;
                        break;
                    default:
                        if (typeof object.status === "number" && (object.status | 0) === object.status)
                            message.status = object.status;
                    }
                if (object.retryAfterMs != null)
                    if ($Number(object.retryAfterMs) !== 0)
                        message.retryAfterMs = object.retryAfterMs >>> 0;
                if (object.reason != null)
                    if (typeof object.reason !== "string" || object.reason.length)
                        message.reason = $String(object.reason);
                return message;
            };

            /**
             * Creates a plain object from a PublishAck message. Also converts values to other types if specified.
             * @function toObject
             * @memberof amoskys.v1.PublishAck
             * @static
             * @param {amoskys.v1.PublishAck} message PublishAck
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            PublishAck.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.producerId = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.sequence = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sequence = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.status = options.enums === $String ? "ACK_STATUS_UNSPECIFIED" : 0;
                    object.retryAfterMs = 0;
                    object.reason = "";
                }
                if (message.producerId != null && $Object.hasOwnProperty.call(message, "producerId"))
                    object.producerId = message.producerId;
                if (message.sequence != null && $Object.hasOwnProperty.call(message, "sequence"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sequence = typeof message.sequence === "number" ? $BigInt(message.sequence) : $util.Long.fromBits(message.sequence.low >>> 0, message.sequence.high >>> 0, true).toBigInt();
                    else if (typeof message.sequence === "number")
                        object.sequence = options.longs === $String ? $String(message.sequence) : message.sequence;
                    else
                        object.sequence = options.longs === $String ? $util.Long.prototype.toString.call(message.sequence) : options.longs === $Number ? new $util.LongBits(message.sequence.low >>> 0, message.sequence.high >>> 0).toNumber(true) : message.sequence;
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    object.status = options.enums === $String ? $root.amoskys.v1.AckStatus[message.status] === $undefined ? message.status : $root.amoskys.v1.AckStatus[message.status] : message.status;
                if (message.retryAfterMs != null && $Object.hasOwnProperty.call(message, "retryAfterMs"))
                    object.retryAfterMs = message.retryAfterMs;
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    object.reason = message.reason;
                return object;
            };

            /**
             * Converts this PublishAck to JSON.
             * @function toJSON
             * @memberof amoskys.v1.PublishAck
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            PublishAck.prototype.toJSON = function() {
                return PublishAck.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PublishAck;
        })();

        return v1;
    })();

    return amoskys;
})();

export const google = $root.google = (() => {

    /**
     * Namespace google.
     * @exports google
     * @namespace
     */
    const google = {};

    google.protobuf = (function() {

        /**
         * Namespace protobuf.
         * @memberof google
         * @namespace
         */
        const protobuf = {};

        protobuf.Timestamp = (function() {

            /**
             * Properties of a Timestamp.
             * @typedef {Object} google.protobuf.Timestamp.$Properties
             * @property {number|null} [seconds] Timestamp seconds
             * @property {number|null} [nanos] Timestamp nanos
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Timestamp.
             * @memberof google.protobuf
             * @interface ITimestamp
             * @augments google.protobuf.Timestamp.$Properties
             * @deprecated Use google.protobuf.Timestamp.$Properties instead.
             */

            /**
             * Shape of a Timestamp.
             * @typedef {google.protobuf.Timestamp.$Properties} google.protobuf.Timestamp.$Shape
             */

            /**
             * Constructs a new Timestamp.
             * @memberof google.protobuf
             * @classdesc Represents a Timestamp.
             * @constructor
             * @param {google.protobuf.Timestamp.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Timestamp = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Timestamp seconds.
             * @member {number} seconds
             * @memberof google.protobuf.Timestamp
             * @instance
             */
            Timestamp.prototype.seconds = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Timestamp nanos.
             * @member {number} nanos
             * @memberof google.protobuf.Timestamp
             * @instance
             */
            Timestamp.prototype.nanos = 0;

            /**
             * Creates a new Timestamp instance using the specified properties.
             * @function create
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {google.protobuf.Timestamp.$Properties=} [properties] Properties to set
             * @returns {google.protobuf.Timestamp} Timestamp instance
             * @type {{
             *   (properties: google.protobuf.Timestamp.$Shape): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
             *   (properties?: google.protobuf.Timestamp.$Properties): google.protobuf.Timestamp;
             * }}
             */
            Timestamp.create = function(properties) {
                return new Timestamp(properties);
            };

            /**
             * Encodes the specified Timestamp message. Does not implicitly {@link google.protobuf.Timestamp.verify|verify} messages.
             * @function encode
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {google.protobuf.Timestamp.$Properties} message Timestamp message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Timestamp.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.seconds != null && $Object.hasOwnProperty.call(message, "seconds") && (typeof message.seconds === "object" ? message.seconds.low || message.seconds.high : message.seconds !== 0))
                    writer.uint32(/* id 1, wireType 0 =*/8).int64(message.seconds);
                if (message.nanos != null && $Object.hasOwnProperty.call(message, "nanos") && message.nanos !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).int32(message.nanos);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Timestamp message from the specified reader or buffer.
             * @function decode
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape} Timestamp
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Timestamp.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.google.protobuf.Timestamp();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.seconds = value;
                            else
                                delete message.seconds;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.nanos = value;
                            else
                                delete message.nanos;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Timestamp message.
             * @function verify
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Timestamp.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.seconds != null && $Object.hasOwnProperty.call(message, "seconds"))
                    if (!$util.isInteger(message.seconds) && !(message.seconds && $util.isInteger(message.seconds.low) && $util.isInteger(message.seconds.high)))
                        return "seconds: integer|Long expected";
                if (message.nanos != null && $Object.hasOwnProperty.call(message, "nanos"))
                    if (!$util.isInteger(message.nanos))
                        return "nanos: integer expected";
                return null;
            };

            /**
             * Creates a Timestamp message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {google.protobuf.Timestamp} Timestamp
             */
            Timestamp.fromObject = function (object, _depth) {
                if (object instanceof $root.google.protobuf.Timestamp)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".google.protobuf.Timestamp: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.google.protobuf.Timestamp();
                if (object.seconds != null)
                    if (typeof object.seconds === "object" ? object.seconds.low || object.seconds.high : $Number(object.seconds) !== 0)
                        if ($util.Long)
                            message.seconds = $util.Long.fromValue(object.seconds, false);
                        else if (typeof object.seconds === "string")
                            message.seconds = $parseInt(object.seconds, 10);
                        else if (typeof object.seconds === "number")
                            message.seconds = object.seconds;
                        else if (typeof object.seconds === "object")
                            message.seconds = new $util.LongBits(object.seconds.low >>> 0, object.seconds.high >>> 0).toNumber();
                if (object.nanos != null)
                    if ($Number(object.nanos) !== 0)
                        message.nanos = object.nanos | 0;
                return message;
            };

            /**
             * Creates a plain object from a Timestamp message. Also converts values to other types if specified.
             * @function toObject
             * @memberof google.protobuf.Timestamp
             * @static
             * @param {google.protobuf.Timestamp} message Timestamp
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Timestamp.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.seconds = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.seconds = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.nanos = 0;
                }
                if (message.seconds != null && $Object.hasOwnProperty.call(message, "seconds"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.seconds = typeof message.seconds === "number" ? $BigInt(message.seconds) : $util.Long.fromBits(message.seconds.low >>> 0, message.seconds.high >>> 0, false).toBigInt();
                    else if (typeof message.seconds === "number")
                        object.seconds = options.longs === $String ? $String(message.seconds) : message.seconds;
                    else
                        object.seconds = options.longs === $String ? $util.Long.prototype.toString.call(message.seconds) : options.longs === $Number ? new $util.LongBits(message.seconds.low >>> 0, message.seconds.high >>> 0).toNumber() : message.seconds;
                if (message.nanos != null && $Object.hasOwnProperty.call(message, "nanos"))
                    object.nanos = message.nanos;
                return object;
            };

            /**
             * Converts this Timestamp to JSON.
             * @function toJSON
             * @memberof google.protobuf.Timestamp
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Timestamp.prototype.toJSON = function() {
                return Timestamp.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Timestamp;
        })();

        return protobuf;
    })();

    return google;
})();

export {
  $root as default
};
