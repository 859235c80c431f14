import * as $protobuf from "protobufjs/minimal.js";
import Long = require("long");

/** Namespace amoskys. */
export namespace amoskys {

    /** Namespace v1. */
    namespace v1 {

        /** SourceProtocol enum. */
        enum SourceProtocol {

            /** SOURCE_PROTOCOL_UNSPECIFIED value */
            SOURCE_PROTOCOL_UNSPECIFIED = 0,

            /** SOURCE_PROTOCOL_SNMP value */
            SOURCE_PROTOCOL_SNMP = 1,

            /** SOURCE_PROTOCOL_SNMP_TRAP value */
            SOURCE_PROTOCOL_SNMP_TRAP = 2,

            /** SOURCE_PROTOCOL_MQTT value */
            SOURCE_PROTOCOL_MQTT = 3,

            /** SOURCE_PROTOCOL_SPARKPLUG_B value */
            SOURCE_PROTOCOL_SPARKPLUG_B = 4,

            /** SOURCE_PROTOCOL_MODBUS value */
            SOURCE_PROTOCOL_MODBUS = 5,

            /** SOURCE_PROTOCOL_SYSLOG value */
            SOURCE_PROTOCOL_SYSLOG = 6,

            /** SOURCE_PROTOCOL_HL7 value */
            SOURCE_PROTOCOL_HL7 = 7,

            /** SOURCE_PROTOCOL_FHIR value */
            SOURCE_PROTOCOL_FHIR = 8,

            /** SOURCE_PROTOCOL_NETFLOW value */
            SOURCE_PROTOCOL_NETFLOW = 9,

            /** SOURCE_PROTOCOL_IPFIX value */
            SOURCE_PROTOCOL_IPFIX = 10,

            /** SOURCE_PROTOCOL_PCAP value */
            SOURCE_PROTOCOL_PCAP = 11,

            /** SOURCE_PROTOCOL_DISCOVERY value */
            SOURCE_PROTOCOL_DISCOVERY = 12,

            /** SOURCE_PROTOCOL_AGENT value */
            SOURCE_PROTOCOL_AGENT = 13
        }

        /**
         * Properties of a DeviceRef.
         * @deprecated Use amoskys.v1.DeviceRef.$Properties instead.
         */
        interface IDeviceRef extends amoskys.v1.DeviceRef.$Properties {
        }

        /** Represents a DeviceRef. */
        class DeviceRef {

            /**
             * Constructs a new DeviceRef.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.DeviceRef.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DeviceRef namespace. */
            namespace: string;

            /** DeviceRef name. */
            name: string;

            /** DeviceRef address. */
            address: string;

            /**
             * Creates a new DeviceRef instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeviceRef instance
             */
            static create(properties: amoskys.v1.DeviceRef.$Shape): amoskys.v1.DeviceRef & amoskys.v1.DeviceRef.$Shape;
            static create(properties?: amoskys.v1.DeviceRef.$Properties): amoskys.v1.DeviceRef;

            /**
             * Encodes the specified DeviceRef message. Does not implicitly {@link amoskys.v1.DeviceRef.verify|verify} messages.
             * @param message DeviceRef message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.DeviceRef.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeviceRef message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.DeviceRef & amoskys.v1.DeviceRef.$Shape} DeviceRef
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.DeviceRef & amoskys.v1.DeviceRef.$Shape;

            /**
             * Verifies a DeviceRef message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a DeviceRef message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns DeviceRef
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.DeviceRef;

            /**
             * Creates a plain object from a DeviceRef message. Also converts values to other types if specified.
             * @param message DeviceRef
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.DeviceRef, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeviceRef to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace DeviceRef {

            /** Properties of a DeviceRef. */
            interface $Properties {

                /** DeviceRef namespace */
                namespace?: (string|null);

                /** DeviceRef name */
                name?: (string|null);

                /** DeviceRef address */
                address?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DeviceRef. */
            type $Shape = amoskys.v1.DeviceRef.$Properties;
        }

        /**
         * Properties of a TelemetryEvent.
         * @deprecated Use amoskys.v1.TelemetryEvent.$Properties instead.
         */
        interface ITelemetryEvent extends amoskys.v1.TelemetryEvent.$Properties {
        }

        /** Represents a TelemetryEvent. */
        class TelemetryEvent {

            /**
             * Constructs a new TelemetryEvent.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.TelemetryEvent.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** TelemetryEvent id. */
            id: string;

            /** TelemetryEvent device. */
            device?: (amoskys.v1.DeviceRef.$Properties|null);

            /** TelemetryEvent observed. */
            observed?: (google.protobuf.Timestamp.$Properties|null);

            /** TelemetryEvent collected. */
            collected?: (google.protobuf.Timestamp.$Properties|null);

            /** TelemetryEvent source. */
            source: amoskys.v1.SourceProtocol;

            /** TelemetryEvent metric. */
            metric?: (amoskys.v1.Metric.$Properties|null);

            /** TelemetryEvent log. */
            log?: (amoskys.v1.LogRecord.$Properties|null);

            /** TelemetryEvent trap. */
            trap?: (amoskys.v1.Trap.$Properties|null);

            /** TelemetryEvent flow. */
            flow?: (amoskys.v1.Flow.$Properties|null);

            /** TelemetryEvent status. */
            status?: (amoskys.v1.Status.$Properties|null);

            /** TelemetryEvent security. */
            security?: (amoskys.v1.SecurityObservation.$Properties|null);

            /** TelemetryEvent clinical. */
            clinical?: (amoskys.v1.ClinicalObservation.$Properties|null);

            /** TelemetryEvent malformed. */
            malformed?: (amoskys.v1.Malformed.$Properties|null);

            /** TelemetryEvent wire. */
            wire?: (amoskys.v1.WireEvent.$Properties|null);

            /** TelemetryEvent body. */
            body?: ("metric"|"log"|"trap"|"flow"|"status"|"security"|"clinical"|"malformed"|"wire");

            /**
             * Creates a new TelemetryEvent instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TelemetryEvent instance
             */
            static create(properties: amoskys.v1.TelemetryEvent.$Shape): amoskys.v1.TelemetryEvent & amoskys.v1.TelemetryEvent.$Shape;
            static create(properties?: amoskys.v1.TelemetryEvent.$Properties): amoskys.v1.TelemetryEvent;

            /**
             * Encodes the specified TelemetryEvent message. Does not implicitly {@link amoskys.v1.TelemetryEvent.verify|verify} messages.
             * @param message TelemetryEvent message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.TelemetryEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TelemetryEvent message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.TelemetryEvent & amoskys.v1.TelemetryEvent.$Shape} TelemetryEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.TelemetryEvent & amoskys.v1.TelemetryEvent.$Shape;

            /**
             * Verifies a TelemetryEvent message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a TelemetryEvent message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns TelemetryEvent
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.TelemetryEvent;

            /**
             * Creates a plain object from a TelemetryEvent message. Also converts values to other types if specified.
             * @param message TelemetryEvent
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.TelemetryEvent, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this TelemetryEvent to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace TelemetryEvent {

            /** Properties of a TelemetryEvent. */
            interface $Properties {

                /** TelemetryEvent id */
                id?: (string|null);

                /** TelemetryEvent device */
                device?: (amoskys.v1.DeviceRef.$Properties|null);

                /** TelemetryEvent observed */
                observed?: (google.protobuf.Timestamp.$Properties|null);

                /** TelemetryEvent collected */
                collected?: (google.protobuf.Timestamp.$Properties|null);

                /** TelemetryEvent source */
                source?: (amoskys.v1.SourceProtocol|null);

                /** TelemetryEvent metric */
                metric?: (amoskys.v1.Metric.$Properties|null);

                /** TelemetryEvent log */
                log?: (amoskys.v1.LogRecord.$Properties|null);

                /** TelemetryEvent trap */
                trap?: (amoskys.v1.Trap.$Properties|null);

                /** TelemetryEvent flow */
                flow?: (amoskys.v1.Flow.$Properties|null);

                /** TelemetryEvent status */
                status?: (amoskys.v1.Status.$Properties|null);

                /** TelemetryEvent security */
                security?: (amoskys.v1.SecurityObservation.$Properties|null);

                /** TelemetryEvent clinical */
                clinical?: (amoskys.v1.ClinicalObservation.$Properties|null);

                /** TelemetryEvent malformed */
                malformed?: (amoskys.v1.Malformed.$Properties|null);

                /** TelemetryEvent wire */
                wire?: (amoskys.v1.WireEvent.$Properties|null);

                /** TelemetryEvent body */
                body?: ("metric"|"log"|"trap"|"flow"|"status"|"security"|"clinical"|"malformed"|"wire");

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Narrowed shape of a TelemetryEvent. */
            type $Shape = {
              id?: string|null;
              device?: amoskys.v1.DeviceRef.$Shape|null;
              observed?: google.protobuf.Timestamp.$Shape|null;
              collected?: google.protobuf.Timestamp.$Shape|null;
              source?: amoskys.v1.SourceProtocol|null;
              metric?: amoskys.v1.Metric.$Shape|null;
              log?: amoskys.v1.LogRecord.$Shape|null;
              trap?: amoskys.v1.Trap.$Shape|null;
              flow?: amoskys.v1.Flow.$Shape|null;
              status?: amoskys.v1.Status.$Shape|null;
              security?: amoskys.v1.SecurityObservation.$Shape|null;
              clinical?: amoskys.v1.ClinicalObservation.$Shape|null;
              malformed?: amoskys.v1.Malformed.$Shape|null;
              wire?: amoskys.v1.WireEvent.$Shape|null;
              $unknowns?: Uint8Array[];
            } & (
              ({ body?: undefined; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "metric"; metric: amoskys.v1.Metric.$Shape; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "log"; metric?: null; log: amoskys.v1.LogRecord.$Shape; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "trap"; metric?: null; log?: null; trap: amoskys.v1.Trap.$Shape; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "flow"; metric?: null; log?: null; trap?: null; flow: amoskys.v1.Flow.$Shape; status?: null; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "status"; metric?: null; log?: null; trap?: null; flow?: null; status: amoskys.v1.Status.$Shape; security?: null; clinical?: null; malformed?: null; wire?: null }|{ body?: "security"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security: amoskys.v1.SecurityObservation.$Shape; clinical?: null; malformed?: null; wire?: null }|{ body?: "clinical"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical: amoskys.v1.ClinicalObservation.$Shape; malformed?: null; wire?: null }|{ body?: "malformed"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed: amoskys.v1.Malformed.$Shape; wire?: null }|{ body?: "wire"; metric?: null; log?: null; trap?: null; flow?: null; status?: null; security?: null; clinical?: null; malformed?: null; wire: amoskys.v1.WireEvent.$Shape })
            );
        }

        /** MetricKind enum. */
        enum MetricKind {

            /** METRIC_KIND_UNSPECIFIED value */
            METRIC_KIND_UNSPECIFIED = 0,

            /** METRIC_KIND_GAUGE value */
            METRIC_KIND_GAUGE = 1,

            /** METRIC_KIND_COUNTER value */
            METRIC_KIND_COUNTER = 2,

            /** METRIC_KIND_RATE value */
            METRIC_KIND_RATE = 3
        }

        /**
         * Properties of a Metric.
         * @deprecated Use amoskys.v1.Metric.$Properties instead.
         */
        interface IMetric extends amoskys.v1.Metric.$Properties {
        }

        /** Represents a Metric. */
        class Metric {

            /**
             * Constructs a new Metric.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Metric.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Metric name. */
            name: string;

            /** Metric value. */
            value: number;

            /** Metric unit. */
            unit: string;

            /** Metric kind. */
            kind: amoskys.v1.MetricKind;

            /** Metric labels. */
            labels: { [k: string]: string };

            /**
             * Creates a new Metric instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Metric instance
             */
            static create(properties: amoskys.v1.Metric.$Shape): amoskys.v1.Metric & amoskys.v1.Metric.$Shape;
            static create(properties?: amoskys.v1.Metric.$Properties): amoskys.v1.Metric;

            /**
             * Encodes the specified Metric message. Does not implicitly {@link amoskys.v1.Metric.verify|verify} messages.
             * @param message Metric message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Metric.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Metric message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Metric & amoskys.v1.Metric.$Shape} Metric
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Metric & amoskys.v1.Metric.$Shape;

            /**
             * Verifies a Metric message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Metric message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Metric
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Metric;

            /**
             * Creates a plain object from a Metric message. Also converts values to other types if specified.
             * @param message Metric
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Metric, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Metric to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Metric {

            /** Properties of a Metric. */
            interface $Properties {

                /** Metric name */
                name?: (string|null);

                /** Metric value */
                value?: (number|null);

                /** Metric unit */
                unit?: (string|null);

                /** Metric kind */
                kind?: (amoskys.v1.MetricKind|null);

                /** Metric labels */
                labels?: ({ [k: string]: string }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Metric. */
            type $Shape = amoskys.v1.Metric.$Properties;
        }

        /** SyslogFormat enum. */
        enum SyslogFormat {

            /** SYSLOG_FORMAT_UNSPECIFIED value */
            SYSLOG_FORMAT_UNSPECIFIED = 0,

            /** SYSLOG_FORMAT_RFC5424 value */
            SYSLOG_FORMAT_RFC5424 = 1,

            /** SYSLOG_FORMAT_RFC3164 value */
            SYSLOG_FORMAT_RFC3164 = 2,

            /** SYSLOG_FORMAT_RAW value */
            SYSLOG_FORMAT_RAW = 3
        }

        /**
         * Properties of a StructuredDataElement.
         * @deprecated Use amoskys.v1.StructuredDataElement.$Properties instead.
         */
        interface IStructuredDataElement extends amoskys.v1.StructuredDataElement.$Properties {
        }

        /** Represents a StructuredDataElement. */
        class StructuredDataElement {

            /**
             * Constructs a new StructuredDataElement.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.StructuredDataElement.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** StructuredDataElement id. */
            id: string;

            /** StructuredDataElement params. */
            params: { [k: string]: string };

            /**
             * Creates a new StructuredDataElement instance using the specified properties.
             * @param [properties] Properties to set
             * @returns StructuredDataElement instance
             */
            static create(properties: amoskys.v1.StructuredDataElement.$Shape): amoskys.v1.StructuredDataElement & amoskys.v1.StructuredDataElement.$Shape;
            static create(properties?: amoskys.v1.StructuredDataElement.$Properties): amoskys.v1.StructuredDataElement;

            /**
             * Encodes the specified StructuredDataElement message. Does not implicitly {@link amoskys.v1.StructuredDataElement.verify|verify} messages.
             * @param message StructuredDataElement message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.StructuredDataElement.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a StructuredDataElement message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.StructuredDataElement & amoskys.v1.StructuredDataElement.$Shape} StructuredDataElement
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.StructuredDataElement & amoskys.v1.StructuredDataElement.$Shape;

            /**
             * Verifies a StructuredDataElement message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a StructuredDataElement message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns StructuredDataElement
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.StructuredDataElement;

            /**
             * Creates a plain object from a StructuredDataElement message. Also converts values to other types if specified.
             * @param message StructuredDataElement
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.StructuredDataElement, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this StructuredDataElement to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace StructuredDataElement {

            /** Properties of a StructuredDataElement. */
            interface $Properties {

                /** StructuredDataElement id */
                id?: (string|null);

                /** StructuredDataElement params */
                params?: ({ [k: string]: string }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a StructuredDataElement. */
            type $Shape = amoskys.v1.StructuredDataElement.$Properties;
        }

        /**
         * Properties of a LogRecord.
         * @deprecated Use amoskys.v1.LogRecord.$Properties instead.
         */
        interface ILogRecord extends amoskys.v1.LogRecord.$Properties {
        }

        /** Represents a LogRecord. */
        class LogRecord {

            /**
             * Constructs a new LogRecord.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.LogRecord.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** LogRecord format. */
            format: amoskys.v1.SyslogFormat;

            /** LogRecord facility. */
            facility: number;

            /** LogRecord severity. */
            severity: number;

            /** LogRecord hostname. */
            hostname: string;

            /** LogRecord appName. */
            appName: string;

            /** LogRecord procId. */
            procId: string;

            /** LogRecord msgId. */
            msgId: string;

            /** LogRecord structuredData. */
            structuredData: amoskys.v1.StructuredDataElement.$Properties[];

            /** LogRecord message. */
            message: string;

            /**
             * Creates a new LogRecord instance using the specified properties.
             * @param [properties] Properties to set
             * @returns LogRecord instance
             */
            static create(properties: amoskys.v1.LogRecord.$Shape): amoskys.v1.LogRecord & amoskys.v1.LogRecord.$Shape;
            static create(properties?: amoskys.v1.LogRecord.$Properties): amoskys.v1.LogRecord;

            /**
             * Encodes the specified LogRecord message. Does not implicitly {@link amoskys.v1.LogRecord.verify|verify} messages.
             * @param message LogRecord message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.LogRecord.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a LogRecord message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.LogRecord & amoskys.v1.LogRecord.$Shape} LogRecord
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.LogRecord & amoskys.v1.LogRecord.$Shape;

            /**
             * Verifies a LogRecord message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a LogRecord message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns LogRecord
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.LogRecord;

            /**
             * Creates a plain object from a LogRecord message. Also converts values to other types if specified.
             * @param message LogRecord
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.LogRecord, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this LogRecord to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace LogRecord {

            /** Properties of a LogRecord. */
            interface $Properties {

                /** LogRecord format */
                format?: (amoskys.v1.SyslogFormat|null);

                /** LogRecord facility */
                facility?: (number|null);

                /** LogRecord severity */
                severity?: (number|null);

                /** LogRecord hostname */
                hostname?: (string|null);

                /** LogRecord appName */
                appName?: (string|null);

                /** LogRecord procId */
                procId?: (string|null);

                /** LogRecord msgId */
                msgId?: (string|null);

                /** LogRecord structuredData */
                structuredData?: (amoskys.v1.StructuredDataElement.$Properties[]|null);

                /** LogRecord message */
                message?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a LogRecord. */
            type $Shape = amoskys.v1.LogRecord.$Properties;
        }

        /**
         * Properties of a Varbind.
         * @deprecated Use amoskys.v1.Varbind.$Properties instead.
         */
        interface IVarbind extends amoskys.v1.Varbind.$Properties {
        }

        /** Represents a Varbind. */
        class Varbind {

            /**
             * Constructs a new Varbind.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Varbind.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Varbind oid. */
            oid: string;

            /** Varbind type. */
            type: string;

            /** Varbind value. */
            value: string;

            /**
             * Creates a new Varbind instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Varbind instance
             */
            static create(properties: amoskys.v1.Varbind.$Shape): amoskys.v1.Varbind & amoskys.v1.Varbind.$Shape;
            static create(properties?: amoskys.v1.Varbind.$Properties): amoskys.v1.Varbind;

            /**
             * Encodes the specified Varbind message. Does not implicitly {@link amoskys.v1.Varbind.verify|verify} messages.
             * @param message Varbind message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Varbind.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Varbind message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Varbind & amoskys.v1.Varbind.$Shape} Varbind
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Varbind & amoskys.v1.Varbind.$Shape;

            /**
             * Verifies a Varbind message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Varbind message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Varbind
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Varbind;

            /**
             * Creates a plain object from a Varbind message. Also converts values to other types if specified.
             * @param message Varbind
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Varbind, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Varbind to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Varbind {

            /** Properties of a Varbind. */
            interface $Properties {

                /** Varbind oid */
                oid?: (string|null);

                /** Varbind type */
                type?: (string|null);

                /** Varbind value */
                value?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Varbind. */
            type $Shape = amoskys.v1.Varbind.$Properties;
        }

        /**
         * Properties of a Trap.
         * @deprecated Use amoskys.v1.Trap.$Properties instead.
         */
        interface ITrap extends amoskys.v1.Trap.$Properties {
        }

        /** Represents a Trap. */
        class Trap {

            /**
             * Constructs a new Trap.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Trap.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Trap version. */
            version: string;

            /** Trap inform. */
            inform: boolean;

            /** Trap trapOid. */
            trapOid: string;

            /** Trap enterprise. */
            enterprise: string;

            /** Trap agentAddress. */
            agentAddress: string;

            /** Trap genericTrap. */
            genericTrap: number;

            /** Trap specificTrap. */
            specificTrap: number;

            /** Trap uptime. */
            uptime: number;

            /** Trap securityName. */
            securityName: string;

            /** Trap varbinds. */
            varbinds: amoskys.v1.Varbind.$Properties[];

            /**
             * Creates a new Trap instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Trap instance
             */
            static create(properties: amoskys.v1.Trap.$Shape): amoskys.v1.Trap & amoskys.v1.Trap.$Shape;
            static create(properties?: amoskys.v1.Trap.$Properties): amoskys.v1.Trap;

            /**
             * Encodes the specified Trap message. Does not implicitly {@link amoskys.v1.Trap.verify|verify} messages.
             * @param message Trap message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Trap.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Trap message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Trap & amoskys.v1.Trap.$Shape} Trap
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Trap & amoskys.v1.Trap.$Shape;

            /**
             * Verifies a Trap message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Trap message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Trap
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Trap;

            /**
             * Creates a plain object from a Trap message. Also converts values to other types if specified.
             * @param message Trap
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Trap, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Trap to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Trap {

            /** Properties of a Trap. */
            interface $Properties {

                /** Trap version */
                version?: (string|null);

                /** Trap inform */
                inform?: (boolean|null);

                /** Trap trapOid */
                trapOid?: (string|null);

                /** Trap enterprise */
                enterprise?: (string|null);

                /** Trap agentAddress */
                agentAddress?: (string|null);

                /** Trap genericTrap */
                genericTrap?: (number|null);

                /** Trap specificTrap */
                specificTrap?: (number|null);

                /** Trap uptime */
                uptime?: (number|null);

                /** Trap securityName */
                securityName?: (string|null);

                /** Trap varbinds */
                varbinds?: (amoskys.v1.Varbind.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Trap. */
            type $Shape = amoskys.v1.Trap.$Properties;
        }

        /**
         * Properties of a Flow.
         * @deprecated Use amoskys.v1.Flow.$Properties instead.
         */
        interface IFlow extends amoskys.v1.Flow.$Properties {
        }

        /** Represents a Flow. */
        class Flow {

            /**
             * Constructs a new Flow.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Flow.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Flow srcAddress. */
            srcAddress: string;

            /** Flow dstAddress. */
            dstAddress: string;

            /** Flow srcPort. */
            srcPort: number;

            /** Flow dstPort. */
            dstPort: number;

            /** Flow protocol. */
            protocol: number;

            /** Flow bytes. */
            bytes: number;

            /** Flow packets. */
            packets: number;

            /** Flow start. */
            start?: (google.protobuf.Timestamp.$Properties|null);

            /** Flow end. */
            end?: (google.protobuf.Timestamp.$Properties|null);

            /** Flow tcpFlags. */
            tcpFlags: number;

            /** Flow exporter. */
            exporter: string;

            /** Flow observationDomain. */
            observationDomain: number;

            /** Flow exportVersion. */
            exportVersion: number;

            /**
             * Creates a new Flow instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Flow instance
             */
            static create(properties: amoskys.v1.Flow.$Shape): amoskys.v1.Flow & amoskys.v1.Flow.$Shape;
            static create(properties?: amoskys.v1.Flow.$Properties): amoskys.v1.Flow;

            /**
             * Encodes the specified Flow message. Does not implicitly {@link amoskys.v1.Flow.verify|verify} messages.
             * @param message Flow message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Flow.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Flow message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Flow & amoskys.v1.Flow.$Shape} Flow
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Flow & amoskys.v1.Flow.$Shape;

            /**
             * Verifies a Flow message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Flow message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Flow
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Flow;

            /**
             * Creates a plain object from a Flow message. Also converts values to other types if specified.
             * @param message Flow
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Flow, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Flow to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Flow {

            /** Properties of a Flow. */
            interface $Properties {

                /** Flow srcAddress */
                srcAddress?: (string|null);

                /** Flow dstAddress */
                dstAddress?: (string|null);

                /** Flow srcPort */
                srcPort?: (number|null);

                /** Flow dstPort */
                dstPort?: (number|null);

                /** Flow protocol */
                protocol?: (number|null);

                /** Flow bytes */
                bytes?: (number|null);

                /** Flow packets */
                packets?: (number|null);

                /** Flow start */
                start?: (google.protobuf.Timestamp.$Properties|null);

                /** Flow end */
                end?: (google.protobuf.Timestamp.$Properties|null);

                /** Flow tcpFlags */
                tcpFlags?: (number|null);

                /** Flow exporter */
                exporter?: (string|null);

                /** Flow observationDomain */
                observationDomain?: (number|null);

                /** Flow exportVersion */
                exportVersion?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Flow. */
            type $Shape = amoskys.v1.Flow.$Properties;
        }

        /** Capability enum. */
        enum Capability {

            /** CAPABILITY_UNSPECIFIED value */
            CAPABILITY_UNSPECIFIED = 0,

            /** CAPABILITY_REAL value */
            CAPABILITY_REAL = 1,

            /** CAPABILITY_DEGRADED value */
            CAPABILITY_DEGRADED = 2,

            /** CAPABILITY_BLIND value */
            CAPABILITY_BLIND = 3,

            /** CAPABILITY_SIMULATED value */
            CAPABILITY_SIMULATED = 4
        }

        /**
         * Properties of a Status.
         * @deprecated Use amoskys.v1.Status.$Properties instead.
         */
        interface IStatus extends amoskys.v1.Status.$Properties {
        }

        /** Represents a Status. */
        class Status {

            /**
             * Constructs a new Status.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Status.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Status protocol. */
            protocol: amoskys.v1.SourceProtocol;

            /** Status reachable. */
            reachable: boolean;

            /** Status latencyMs. */
            latencyMs: number;

            /** Status capability. */
            capability: amoskys.v1.Capability;

            /** Status reason. */
            reason: string;

            /**
             * Creates a new Status instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Status instance
             */
            static create(properties: amoskys.v1.Status.$Shape): amoskys.v1.Status & amoskys.v1.Status.$Shape;
            static create(properties?: amoskys.v1.Status.$Properties): amoskys.v1.Status;

            /**
             * Encodes the specified Status message. Does not implicitly {@link amoskys.v1.Status.verify|verify} messages.
             * @param message Status message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Status.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Status message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Status & amoskys.v1.Status.$Shape} Status
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Status & amoskys.v1.Status.$Shape;

            /**
             * Verifies a Status message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Status message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Status
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Status;

            /**
             * Creates a plain object from a Status message. Also converts values to other types if specified.
             * @param message Status
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Status, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Status to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Status {

            /** Properties of a Status. */
            interface $Properties {

                /** Status protocol */
                protocol?: (amoskys.v1.SourceProtocol|null);

                /** Status reachable */
                reachable?: (boolean|null);

                /** Status latencyMs */
                latencyMs?: (number|null);

                /** Status capability */
                capability?: (amoskys.v1.Capability|null);

                /** Status reason */
                reason?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Status. */
            type $Shape = amoskys.v1.Status.$Properties;
        }

        /**
         * Properties of a SecurityObservation.
         * @deprecated Use amoskys.v1.SecurityObservation.$Properties instead.
         */
        interface ISecurityObservation extends amoskys.v1.SecurityObservation.$Properties {
        }

        /** Represents a SecurityObservation. */
        class SecurityObservation {

            /**
             * Constructs a new SecurityObservation.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.SecurityObservation.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SecurityObservation kind. */
            kind: string;

            /** SecurityObservation detail. */
            detail: string;

            /** SecurityObservation evidence. */
            evidence: { [k: string]: string };

            /**
             * Creates a new SecurityObservation instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SecurityObservation instance
             */
            static create(properties: amoskys.v1.SecurityObservation.$Shape): amoskys.v1.SecurityObservation & amoskys.v1.SecurityObservation.$Shape;
            static create(properties?: amoskys.v1.SecurityObservation.$Properties): amoskys.v1.SecurityObservation;

            /**
             * Encodes the specified SecurityObservation message. Does not implicitly {@link amoskys.v1.SecurityObservation.verify|verify} messages.
             * @param message SecurityObservation message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.SecurityObservation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SecurityObservation message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.SecurityObservation & amoskys.v1.SecurityObservation.$Shape} SecurityObservation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.SecurityObservation & amoskys.v1.SecurityObservation.$Shape;

            /**
             * Verifies a SecurityObservation message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SecurityObservation message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SecurityObservation
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.SecurityObservation;

            /**
             * Creates a plain object from a SecurityObservation message. Also converts values to other types if specified.
             * @param message SecurityObservation
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.SecurityObservation, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SecurityObservation to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SecurityObservation {

            /** Properties of a SecurityObservation. */
            interface $Properties {

                /** SecurityObservation kind */
                kind?: (string|null);

                /** SecurityObservation detail */
                detail?: (string|null);

                /** SecurityObservation evidence */
                evidence?: ({ [k: string]: string }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SecurityObservation. */
            type $Shape = amoskys.v1.SecurityObservation.$Properties;
        }

        /**
         * Properties of a ClinicalObservation.
         * @deprecated Use amoskys.v1.ClinicalObservation.$Properties instead.
         */
        interface IClinicalObservation extends amoskys.v1.ClinicalObservation.$Properties {
        }

        /** Represents a ClinicalObservation. */
        class ClinicalObservation {

            /**
             * Constructs a new ClinicalObservation.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.ClinicalObservation.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ClinicalObservation codeSystem. */
            codeSystem: string;

            /** ClinicalObservation code. */
            code: string;

            /** ClinicalObservation display. */
            display: string;

            /** ClinicalObservation value. */
            value: string;

            /** ClinicalObservation numericValue. */
            numericValue: number;

            /** ClinicalObservation isNumeric. */
            isNumeric: boolean;

            /** ClinicalObservation unit. */
            unit: string;

            /** ClinicalObservation referenceRange. */
            referenceRange: string;

            /** ClinicalObservation abnormalFlag. */
            abnormalFlag: string;

            /** ClinicalObservation resultStatus. */
            resultStatus: string;

            /** ClinicalObservation sourceId. */
            sourceId: string;

            /**
             * Creates a new ClinicalObservation instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ClinicalObservation instance
             */
            static create(properties: amoskys.v1.ClinicalObservation.$Shape): amoskys.v1.ClinicalObservation & amoskys.v1.ClinicalObservation.$Shape;
            static create(properties?: amoskys.v1.ClinicalObservation.$Properties): amoskys.v1.ClinicalObservation;

            /**
             * Encodes the specified ClinicalObservation message. Does not implicitly {@link amoskys.v1.ClinicalObservation.verify|verify} messages.
             * @param message ClinicalObservation message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.ClinicalObservation.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ClinicalObservation message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.ClinicalObservation & amoskys.v1.ClinicalObservation.$Shape} ClinicalObservation
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.ClinicalObservation & amoskys.v1.ClinicalObservation.$Shape;

            /**
             * Verifies a ClinicalObservation message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ClinicalObservation message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ClinicalObservation
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.ClinicalObservation;

            /**
             * Creates a plain object from a ClinicalObservation message. Also converts values to other types if specified.
             * @param message ClinicalObservation
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.ClinicalObservation, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ClinicalObservation to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace ClinicalObservation {

            /** Properties of a ClinicalObservation. */
            interface $Properties {

                /** ClinicalObservation codeSystem */
                codeSystem?: (string|null);

                /** ClinicalObservation code */
                code?: (string|null);

                /** ClinicalObservation display */
                display?: (string|null);

                /** ClinicalObservation value */
                value?: (string|null);

                /** ClinicalObservation numericValue */
                numericValue?: (number|null);

                /** ClinicalObservation isNumeric */
                isNumeric?: (boolean|null);

                /** ClinicalObservation unit */
                unit?: (string|null);

                /** ClinicalObservation referenceRange */
                referenceRange?: (string|null);

                /** ClinicalObservation abnormalFlag */
                abnormalFlag?: (string|null);

                /** ClinicalObservation resultStatus */
                resultStatus?: (string|null);

                /** ClinicalObservation sourceId */
                sourceId?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ClinicalObservation. */
            type $Shape = amoskys.v1.ClinicalObservation.$Properties;
        }

        /**
         * Properties of a Malformed.
         * @deprecated Use amoskys.v1.Malformed.$Properties instead.
         */
        interface IMalformed extends amoskys.v1.Malformed.$Properties {
        }

        /** Represents a Malformed. */
        class Malformed {

            /**
             * Constructs a new Malformed.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.Malformed.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Malformed protocol. */
            protocol: amoskys.v1.SourceProtocol;

            /** Malformed reason. */
            reason: string;

            /** Malformed sample. */
            sample: Uint8Array;

            /** Malformed length. */
            length: number;

            /**
             * Creates a new Malformed instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Malformed instance
             */
            static create(properties: amoskys.v1.Malformed.$Shape): amoskys.v1.Malformed & amoskys.v1.Malformed.$Shape;
            static create(properties?: amoskys.v1.Malformed.$Properties): amoskys.v1.Malformed;

            /**
             * Encodes the specified Malformed message. Does not implicitly {@link amoskys.v1.Malformed.verify|verify} messages.
             * @param message Malformed message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.Malformed.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Malformed message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.Malformed & amoskys.v1.Malformed.$Shape} Malformed
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.Malformed & amoskys.v1.Malformed.$Shape;

            /**
             * Verifies a Malformed message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Malformed message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Malformed
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.Malformed;

            /**
             * Creates a plain object from a Malformed message. Also converts values to other types if specified.
             * @param message Malformed
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.Malformed, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Malformed to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Malformed {

            /** Properties of a Malformed. */
            interface $Properties {

                /** Malformed protocol */
                protocol?: (amoskys.v1.SourceProtocol|null);

                /** Malformed reason */
                reason?: (string|null);

                /** Malformed sample */
                sample?: (Uint8Array|null);

                /** Malformed length */
                length?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Malformed. */
            type $Shape = amoskys.v1.Malformed.$Properties;
        }

        /**
         * Properties of a WireEvent.
         * @deprecated Use amoskys.v1.WireEvent.$Properties instead.
         */
        interface IWireEvent extends amoskys.v1.WireEvent.$Properties {
        }

        /** Represents a WireEvent. */
        class WireEvent {

            /**
             * Constructs a new WireEvent.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.WireEvent.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** WireEvent protocol. */
            protocol: string;

            /** WireEvent action. */
            action: string;

            /** WireEvent srcAddress. */
            srcAddress: string;

            /** WireEvent srcPort. */
            srcPort: number;

            /** WireEvent dstAddress. */
            dstAddress: string;

            /** WireEvent dstPort. */
            dstPort: number;

            /** WireEvent fields. */
            fields: { [k: string]: string };

            /**
             * Creates a new WireEvent instance using the specified properties.
             * @param [properties] Properties to set
             * @returns WireEvent instance
             */
            static create(properties: amoskys.v1.WireEvent.$Shape): amoskys.v1.WireEvent & amoskys.v1.WireEvent.$Shape;
            static create(properties?: amoskys.v1.WireEvent.$Properties): amoskys.v1.WireEvent;

            /**
             * Encodes the specified WireEvent message. Does not implicitly {@link amoskys.v1.WireEvent.verify|verify} messages.
             * @param message WireEvent message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.WireEvent.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a WireEvent message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.WireEvent & amoskys.v1.WireEvent.$Shape} WireEvent
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.WireEvent & amoskys.v1.WireEvent.$Shape;

            /**
             * Verifies a WireEvent message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a WireEvent message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns WireEvent
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.WireEvent;

            /**
             * Creates a plain object from a WireEvent message. Also converts values to other types if specified.
             * @param message WireEvent
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.WireEvent, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this WireEvent to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace WireEvent {

            /** Properties of a WireEvent. */
            interface $Properties {

                /** WireEvent protocol */
                protocol?: (string|null);

                /** WireEvent action */
                action?: (string|null);

                /** WireEvent srcAddress */
                srcAddress?: (string|null);

                /** WireEvent srcPort */
                srcPort?: (number|null);

                /** WireEvent dstAddress */
                dstAddress?: (string|null);

                /** WireEvent dstPort */
                dstPort?: (number|null);

                /** WireEvent fields */
                fields?: ({ [k: string]: string }|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a WireEvent. */
            type $Shape = amoskys.v1.WireEvent.$Properties;
        }

        /**
         * Properties of a TelemetryBatch.
         * @deprecated Use amoskys.v1.TelemetryBatch.$Properties instead.
         */
        interface ITelemetryBatch extends amoskys.v1.TelemetryBatch.$Properties {
        }

        /** Represents a TelemetryBatch. */
        class TelemetryBatch {

            /**
             * Constructs a new TelemetryBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.TelemetryBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** TelemetryBatch events. */
            events: amoskys.v1.TelemetryEvent.$Properties[];

            /**
             * Creates a new TelemetryBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns TelemetryBatch instance
             */
            static create(properties: amoskys.v1.TelemetryBatch.$Shape): amoskys.v1.TelemetryBatch & amoskys.v1.TelemetryBatch.$Shape;
            static create(properties?: amoskys.v1.TelemetryBatch.$Properties): amoskys.v1.TelemetryBatch;

            /**
             * Encodes the specified TelemetryBatch message. Does not implicitly {@link amoskys.v1.TelemetryBatch.verify|verify} messages.
             * @param message TelemetryBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.TelemetryBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a TelemetryBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.TelemetryBatch & amoskys.v1.TelemetryBatch.$Shape} TelemetryBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.TelemetryBatch & amoskys.v1.TelemetryBatch.$Shape;

            /**
             * Verifies a TelemetryBatch message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a TelemetryBatch message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns TelemetryBatch
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.TelemetryBatch;

            /**
             * Creates a plain object from a TelemetryBatch message. Also converts values to other types if specified.
             * @param message TelemetryBatch
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.TelemetryBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this TelemetryBatch to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace TelemetryBatch {

            /** Properties of a TelemetryBatch. */
            interface $Properties {

                /** TelemetryBatch events */
                events?: (amoskys.v1.TelemetryEvent.$Properties[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a TelemetryBatch. */
            type $Shape = {
              events?: amoskys.v1.TelemetryEvent.$Shape[]|null;
              $unknowns?: Uint8Array[];
            };
        }

        /** Compression enum. */
        enum Compression {

            /** COMPRESSION_NONE value */
            COMPRESSION_NONE = 0,

            /** COMPRESSION_GZIP value */
            COMPRESSION_GZIP = 1,

            /** COMPRESSION_ZSTD value */
            COMPRESSION_ZSTD = 2
        }

        /**
         * Properties of a SignedBatch.
         * @deprecated Use amoskys.v1.SignedBatch.$Properties instead.
         */
        interface ISignedBatch extends amoskys.v1.SignedBatch.$Properties {
        }

        /** Represents a SignedBatch. */
        class SignedBatch {

            /**
             * Constructs a new SignedBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.SignedBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** SignedBatch schemaVersion. */
            schemaVersion: number;

            /** SignedBatch producerId. */
            producerId: string;

            /** SignedBatch keyId. */
            keyId: string;

            /** SignedBatch sequence. */
            sequence: number;

            /** SignedBatch prevHash. */
            prevHash: Uint8Array;

            /** SignedBatch createdUnixMs. */
            createdUnixMs: number;

            /** SignedBatch compression. */
            compression: amoskys.v1.Compression;

            /** SignedBatch payload. */
            payload: Uint8Array;

            /** SignedBatch signature. */
            signature: Uint8Array;

            /**
             * Creates a new SignedBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns SignedBatch instance
             */
            static create(properties: amoskys.v1.SignedBatch.$Shape): amoskys.v1.SignedBatch & amoskys.v1.SignedBatch.$Shape;
            static create(properties?: amoskys.v1.SignedBatch.$Properties): amoskys.v1.SignedBatch;

            /**
             * Encodes the specified SignedBatch message. Does not implicitly {@link amoskys.v1.SignedBatch.verify|verify} messages.
             * @param message SignedBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.SignedBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a SignedBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.SignedBatch & amoskys.v1.SignedBatch.$Shape} SignedBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.SignedBatch & amoskys.v1.SignedBatch.$Shape;

            /**
             * Verifies a SignedBatch message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a SignedBatch message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns SignedBatch
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.SignedBatch;

            /**
             * Creates a plain object from a SignedBatch message. Also converts values to other types if specified.
             * @param message SignedBatch
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.SignedBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this SignedBatch to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace SignedBatch {

            /** Properties of a SignedBatch. */
            interface $Properties {

                /** SignedBatch schemaVersion */
                schemaVersion?: (number|null);

                /** SignedBatch producerId */
                producerId?: (string|null);

                /** SignedBatch keyId */
                keyId?: (string|null);

                /** SignedBatch sequence */
                sequence?: (number|null);

                /** SignedBatch prevHash */
                prevHash?: (Uint8Array|null);

                /** SignedBatch createdUnixMs */
                createdUnixMs?: (number|null);

                /** SignedBatch compression */
                compression?: (amoskys.v1.Compression|null);

                /** SignedBatch payload */
                payload?: (Uint8Array|null);

                /** SignedBatch signature */
                signature?: (Uint8Array|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a SignedBatch. */
            type $Shape = amoskys.v1.SignedBatch.$Properties;
        }

        /**
         * Properties of a PublishRequest.
         * @deprecated Use amoskys.v1.PublishRequest.$Properties instead.
         */
        interface IPublishRequest extends amoskys.v1.PublishRequest.$Properties {
        }

        /** Represents a PublishRequest. */
        class PublishRequest {

            /**
             * Constructs a new PublishRequest.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.PublishRequest.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PublishRequest batch. */
            batch?: (amoskys.v1.SignedBatch.$Properties|null);

            /**
             * Creates a new PublishRequest instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PublishRequest instance
             */
            static create(properties: amoskys.v1.PublishRequest.$Shape): amoskys.v1.PublishRequest & amoskys.v1.PublishRequest.$Shape;
            static create(properties?: amoskys.v1.PublishRequest.$Properties): amoskys.v1.PublishRequest;

            /**
             * Encodes the specified PublishRequest message. Does not implicitly {@link amoskys.v1.PublishRequest.verify|verify} messages.
             * @param message PublishRequest message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.PublishRequest.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PublishRequest message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.PublishRequest & amoskys.v1.PublishRequest.$Shape} PublishRequest
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.PublishRequest & amoskys.v1.PublishRequest.$Shape;

            /**
             * Verifies a PublishRequest message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a PublishRequest message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns PublishRequest
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.PublishRequest;

            /**
             * Creates a plain object from a PublishRequest message. Also converts values to other types if specified.
             * @param message PublishRequest
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.PublishRequest, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this PublishRequest to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace PublishRequest {

            /** Properties of a PublishRequest. */
            interface $Properties {

                /** PublishRequest batch */
                batch?: (amoskys.v1.SignedBatch.$Properties|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PublishRequest. */
            type $Shape = amoskys.v1.PublishRequest.$Properties;
        }

        /** AckStatus enum. */
        enum AckStatus {

            /** ACK_STATUS_UNSPECIFIED value */
            ACK_STATUS_UNSPECIFIED = 0,

            /** ACK_STATUS_OK value */
            ACK_STATUS_OK = 1,

            /** ACK_STATUS_RETRY value */
            ACK_STATUS_RETRY = 2,

            /** ACK_STATUS_INVALID value */
            ACK_STATUS_INVALID = 3,

            /** ACK_STATUS_UNAUTHORIZED value */
            ACK_STATUS_UNAUTHORIZED = 4
        }

        /**
         * Properties of a PublishAck.
         * @deprecated Use amoskys.v1.PublishAck.$Properties instead.
         */
        interface IPublishAck extends amoskys.v1.PublishAck.$Properties {
        }

        /** Represents a PublishAck. */
        class PublishAck {

            /**
             * Constructs a new PublishAck.
             * @param [properties] Properties to set
             */
            constructor(properties?: amoskys.v1.PublishAck.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** PublishAck producerId. */
            producerId: string;

            /** PublishAck sequence. */
            sequence: number;

            /** PublishAck status. */
            status: amoskys.v1.AckStatus;

            /** PublishAck retryAfterMs. */
            retryAfterMs: number;

            /** PublishAck reason. */
            reason: string;

            /**
             * Creates a new PublishAck instance using the specified properties.
             * @param [properties] Properties to set
             * @returns PublishAck instance
             */
            static create(properties: amoskys.v1.PublishAck.$Shape): amoskys.v1.PublishAck & amoskys.v1.PublishAck.$Shape;
            static create(properties?: amoskys.v1.PublishAck.$Properties): amoskys.v1.PublishAck;

            /**
             * Encodes the specified PublishAck message. Does not implicitly {@link amoskys.v1.PublishAck.verify|verify} messages.
             * @param message PublishAck message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: amoskys.v1.PublishAck.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a PublishAck message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {amoskys.v1.PublishAck & amoskys.v1.PublishAck.$Shape} PublishAck
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): amoskys.v1.PublishAck & amoskys.v1.PublishAck.$Shape;

            /**
             * Verifies a PublishAck message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a PublishAck message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns PublishAck
             */
            static fromObject(object: { [k: string]: any }): amoskys.v1.PublishAck;

            /**
             * Creates a plain object from a PublishAck message. Also converts values to other types if specified.
             * @param message PublishAck
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: amoskys.v1.PublishAck, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this PublishAck to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace PublishAck {

            /** Properties of a PublishAck. */
            interface $Properties {

                /** PublishAck producerId */
                producerId?: (string|null);

                /** PublishAck sequence */
                sequence?: (number|null);

                /** PublishAck status */
                status?: (amoskys.v1.AckStatus|null);

                /** PublishAck retryAfterMs */
                retryAfterMs?: (number|null);

                /** PublishAck reason */
                reason?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a PublishAck. */
            type $Shape = amoskys.v1.PublishAck.$Properties;
        }
    }
}

/** Namespace google. */
export namespace google {

    /** Namespace protobuf. */
    namespace protobuf {

        /**
         * Properties of a Timestamp.
         * @deprecated Use google.protobuf.Timestamp.$Properties instead.
         */
        interface ITimestamp extends google.protobuf.Timestamp.$Properties {
        }

        /** Represents a Timestamp. */
        class Timestamp {

            /**
             * Constructs a new Timestamp.
             * @param [properties] Properties to set
             */
            constructor(properties?: google.protobuf.Timestamp.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Timestamp seconds. */
            seconds: number;

            /** Timestamp nanos. */
            nanos: number;

            /**
             * Creates a new Timestamp instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Timestamp instance
             */
            static create(properties: google.protobuf.Timestamp.$Shape): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;
            static create(properties?: google.protobuf.Timestamp.$Properties): google.protobuf.Timestamp;

            /**
             * Encodes the specified Timestamp message. Does not implicitly {@link google.protobuf.Timestamp.verify|verify} messages.
             * @param message Timestamp message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: google.protobuf.Timestamp.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Timestamp message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape} Timestamp
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): google.protobuf.Timestamp & google.protobuf.Timestamp.$Shape;

            /**
             * Verifies a Timestamp message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Timestamp message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Timestamp
             */
            static fromObject(object: { [k: string]: any }): google.protobuf.Timestamp;

            /**
             * Creates a plain object from a Timestamp message. Also converts values to other types if specified.
             * @param message Timestamp
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: google.protobuf.Timestamp, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Timestamp to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };
        }

        namespace Timestamp {

            /** Properties of a Timestamp. */
            interface $Properties {

                /** Timestamp seconds */
                seconds?: (number|null);

                /** Timestamp nanos */
                nanos?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Timestamp. */
            type $Shape = google.protobuf.Timestamp.$Properties;
        }
    }
}
