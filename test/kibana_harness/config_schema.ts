/**
 * Test support only: a small, real implementation of the parts of Kibana's `@kbn/config-schema`
 * the plugin uses (object with `unknowns`, boolean, string, number, arrayOf, oneOf, literal, maybe,
 * any; defaults, `validate` options, and Kibana's error messages `[path]: reason`). The harness makes
 * `require('@kbn/config-schema')` resolve to this file, as Kibana provides its own at run time.
 */

/** A problem at a path inside the value. */
export class SchemaTypeError extends Error {
  constructor(
    message: string,
    readonly path: string[],
  ) {
    super(message);
    this.name = 'SchemaTypeError';
  }
}

/** What validate() throws: the message names the path, under the namespace when given. */
export class ValidationError extends Error {
  constructor(error: SchemaTypeError, namespace?: string) {
    const path = namespace ? [namespace, ...error.path] : error.path;
    super(path.length > 0 ? `[${path.join('.')}]: ${error.message}` : error.message);
    this.name = 'ValidationError';
  }
}

interface Options<T> {
  defaultValue?: T;
  validate?: (value: T) => string | void;
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'Array' : typeof v);

export abstract class Type<T> {
  readonly __isKbnConfigSchemaType = true;
  constructor(protected readonly options: Options<T> = {}) {}

  /** The value with defaults applied; throws ValidationError naming the bad path. */
  validate(value: unknown, _context: Record<string, unknown> = {}, namespace?: string): T {
    try {
      return this.process(value, []);
    } catch (e) {
      if (e instanceof SchemaTypeError) throw new ValidationError(e, namespace);
      throw e;
    }
  }

  /** Whether a missing value is fine (it has a default, or may be absent). */
  get optional(): boolean {
    return this.options.defaultValue !== undefined;
  }

  process(value: unknown, path: string[]): T {
    if (value === undefined) {
      if (this.options.defaultValue !== undefined) value = structuredClone(this.options.defaultValue);
      else if (this.absentValue() !== undefined) value = this.absentValue();
      else throw new SchemaTypeError(`expected value of type [${this.name}] but got [undefined]`, path);
    }
    const checked = this.check(value, path);
    const problem = this.options.validate?.(checked);
    if (typeof problem === 'string') throw new SchemaTypeError(problem, path);
    return checked;
  }

  /** A value to use when absent without a default (objects build one from their keys' defaults). */
  protected absentValue(): unknown {
    return undefined;
  }

  protected abstract readonly name: string;
  protected abstract check(value: unknown, path: string[]): T;
}

class BooleanType extends Type<boolean> {
  protected readonly name = 'boolean';
  protected check(v: unknown, path: string[]): boolean {
    if (v === 'true') return true;
    if (v === 'false') return false;
    if (typeof v !== 'boolean') throw new SchemaTypeError(`expected value of type [boolean] but got [${typeName(v)}]`, path);
    return v;
  }
}

class StringType extends Type<string> {
  protected readonly name = 'string';
  constructor(private readonly opts: Options<string> & { minLength?: number; maxLength?: number } = {}) {
    super(opts);
  }
  protected check(v: unknown, path: string[]): string {
    if (typeof v !== 'string') throw new SchemaTypeError(`expected value of type [string] but got [${typeName(v)}]`, path);
    if (this.opts.minLength !== undefined && v.length < this.opts.minLength) throw new SchemaTypeError(`value has length [${v.length}] but it must have a minimum length of [${this.opts.minLength}].`, path);
    if (this.opts.maxLength !== undefined && v.length > this.opts.maxLength) throw new SchemaTypeError(`value has length [${v.length}] but it must have a maximum length of [${this.opts.maxLength}].`, path);
    return v;
  }
}

class NumberType extends Type<number> {
  protected readonly name = 'number';
  constructor(private readonly opts: Options<number> & { min?: number; max?: number } = {}) {
    super(opts);
  }
  protected check(v: unknown, path: string[]): number {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || Number.isNaN(n)) throw new SchemaTypeError(`expected value of type [number] but got [${typeName(v)}]`, path);
    if (this.opts.min !== undefined && n < this.opts.min) throw new SchemaTypeError(`Value must be equal to or greater than [${this.opts.min}].`, path);
    if (this.opts.max !== undefined && n > this.opts.max) throw new SchemaTypeError(`Value must be equal to or lower than [${this.opts.max}].`, path);
    return n;
  }
}

class LiteralType<T> extends Type<T> {
  protected readonly name = 'literal';
  constructor(private readonly literal: T) {
    super();
  }
  protected check(v: unknown, path: string[]): T {
    if (v !== this.literal) throw new SchemaTypeError(`expected value to equal [${String(this.literal)}]`, path);
    return v as T;
  }
}

class AnyType extends Type<unknown> {
  protected readonly name = 'any';
  protected check(v: unknown): unknown {
    return v;
  }
}

class MaybeType<T> extends Type<T | undefined> {
  protected readonly name = 'maybe';
  constructor(private readonly inner: Type<T>) {
    super();
  }
  override get optional(): boolean {
    return true;
  }
  override process(value: unknown, path: string[]): T | undefined {
    return value === undefined ? undefined : this.inner.process(value, path);
  }
  protected check(v: unknown): T | undefined {
    return v as T;
  }
}

class ArrayType<T> extends Type<T[]> {
  protected readonly name = 'array';
  constructor(
    private readonly item: Type<T>,
    private readonly opts: Options<T[]> & { minSize?: number; maxSize?: number } = {},
  ) {
    super(opts);
  }
  protected check(v: unknown, path: string[]): T[] {
    if (!Array.isArray(v)) throw new SchemaTypeError(`expected value of type [array] but got [${typeName(v)}]`, path);
    if (this.opts.minSize !== undefined && v.length < this.opts.minSize) throw new SchemaTypeError(`array size is [${v.length}], but cannot be smaller than [${this.opts.minSize}]`, path);
    if (this.opts.maxSize !== undefined && v.length > this.opts.maxSize) throw new SchemaTypeError(`array size is [${v.length}], but cannot be greater than [${this.opts.maxSize}]`, path);
    return v.map((x, i) => this.item.process(x, [...path, String(i)]));
  }
}

class OneOfType<T> extends Type<T> {
  protected readonly name = 'oneOf';
  constructor(
    private readonly types: Type<T>[],
    opts: Options<T> = {},
  ) {
    super(opts);
  }
  protected check(v: unknown, path: string[]): T {
    const failures: string[] = [];
    for (const [i, t] of this.types.entries()) {
      try {
        return t.process(v, [...path, String(i)]);
      } catch (e) {
        if (!(e instanceof SchemaTypeError)) throw e;
        failures.push(`- [${e.path.join('.')}]: ${e.message}`);
      }
    }
    throw new SchemaTypeError(`types that failed validation:\n${failures.join('\n')}`, path);
  }
}

type Unknowns = 'allow' | 'ignore' | 'forbid';

class ObjectType<P extends Record<string, Type<unknown>>> extends Type<Record<string, unknown>> {
  protected readonly name = 'object';
  private readonly unknowns: Unknowns;
  constructor(
    private readonly props: P,
    opts: Options<Record<string, unknown>> & { unknowns?: Unknowns } = {},
  ) {
    super(opts);
    this.unknowns = opts.unknowns ?? 'forbid';
  }
  // Like Kibana's: an absent object is built from its keys' defaults (and fails on a required key).
  protected override absentValue(): unknown {
    return {};
  }
  protected check(v: unknown, path: string[]): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SchemaTypeError(`expected a plain object value, but found [${typeName(v)}] instead.`, path);
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (Object.hasOwn(this.props, key)) continue;
      // Kibana's: 'forbid' refuses, 'ignore' drops, 'allow' keeps the key as it is.
      if (this.unknowns === 'forbid') throw new SchemaTypeError('definition for this key is missing', [...path, key]);
      // defineProperty: a key named __proto__ stays a plain key.
      if (this.unknowns === 'allow') Object.defineProperty(out, key, { value: input[key], enumerable: true, writable: true, configurable: true });
    }
    for (const [key, type] of Object.entries(this.props)) {
      const value = type.process(input[key], [...path, key]);
      if (value !== undefined) out[key] = value;
    }
    return out;
  }
}

export const schema = {
  object: <P extends Record<string, Type<unknown>>>(props: P, options?: Options<Record<string, unknown>> & { unknowns?: Unknowns }) => new ObjectType(props, options),
  boolean: (options?: Options<boolean>) => new BooleanType(options),
  string: (options?: Options<string> & { minLength?: number; maxLength?: number }) => new StringType(options),
  number: (options?: Options<number> & { min?: number; max?: number }) => new NumberType(options),
  arrayOf: <T>(item: Type<T>, options?: Options<T[]> & { minSize?: number; maxSize?: number }) => new ArrayType(item, options),
  oneOf: <T>(types: Type<T>[], options?: Options<T>) => new OneOfType(types, options),
  literal: <T>(value: T) => new LiteralType(value),
  maybe: <T>(type: Type<T>) => new MaybeType(type),
  any: (options?: Options<unknown>) => new AnyType(options),
};

/** How Kibana tells a config-schema type from anything else. */
export const isConfigSchema = (v: unknown): v is Type<unknown> => Boolean(v && (v as { __isKbnConfigSchemaType?: boolean }).__isKbnConfigSchemaType);
