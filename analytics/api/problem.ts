// Problem details (RFC 9457) for every error the API answers with, and the
// JSON Schema of that body (registered once, referenced by each route).
export const PROBLEM_SCHEMA = {
  $id: "Problem",
  type: "object",
  description: "RFC 9457 problem details.",
  properties: {
    type: {
      type: "string",
      description: "URI naming the kind of problem (about:blank when none).",
    },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    instance: { type: "string", description: "The request path." },
    errors: {
      type: "array",
      description: "Invalid inputs: where (params, querystring, body) and which field.",
      items: {
        type: "object",
        properties: {
          in: { type: "string" },
          field: { type: "string" },
          message: { type: "string" },
        },
        required: ["in", "field", "message"],
      },
    },
  },
  required: ["type", "title", "status"],
} as const;

export interface FieldError {
  in: string;
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** An error a handler throws to answer with a given status and detail. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  constructor(
    status: number,
    detail: string,
    opts: { errors?: FieldError[]; headers?: Record<string, string> } = {},
  ) {
    super(detail);
    this.status = status;
    if (opts.errors) this.errors = opts.errors;
    if (opts.headers) this.headers = opts.headers;
  }
}

/** A 400 naming the input field that is wrong. */
export function badInput(where: string, field: string, message: string): ApiError {
  return new ApiError(400, `${where}/${field} ${message}`, {
    errors: [{ in: where, field, message }],
  });
}

export function problem(
  status: number,
  detail: string | undefined,
  instance: string | undefined,
  errors?: FieldError[],
): Problem {
  return {
    type: "about:blank",
    title: TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error"),
    status,
    ...(detail !== undefined && { detail }),
    ...(instance !== undefined && { instance }),
    ...(errors && errors.length > 0 && { errors }),
  };
}

/** Ajv errors (as Fastify hands them over) as field errors: `/limit` in querystring → field "limit". */
export function validationErrors(
  context: string | undefined,
  validation: {
    instancePath?: string;
    message?: string;
    params?: Record<string, unknown>;
  }[],
): FieldError[] {
  return validation.map((v) => {
    const missing = v.params?.missingProperty ?? v.params?.additionalProperty;
    const path = (v.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    const field = typeof missing === "string" ? (path ? `${path}.${missing}` : missing) : path;
    const message =
      typeof v.params?.additionalProperty === "string" ? "is not a known parameter" : v.message;
    return { in: context ?? "request", field: field || "(root)", message: message ?? "invalid" };
  });
}
