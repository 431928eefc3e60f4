/**
 * The few Workers runtime types the edge backend uses, declared here rather than pulling the
 * whole `@cloudflare/workers-types` into a project that also type-checks Node and DOM code.
 */
declare module 'cloudflare:workers' {
  /** A synchronous cursor over the rows of one `sql.exec` call. */
  export interface SqlCursor<Row> extends Iterable<Row> {
    toArray(): Row[]
    one(): Row
    readonly rowsWritten: number
  }

  /** The SQLite storage of a Durable Object (its class must be declared with a SQLite migration). */
  export interface SqlStorage {
    exec<Row = Record<string, string | number | null | ArrayBuffer>>(query: string, ...bindings: unknown[]): SqlCursor<Row>
  }

  export interface DurableObjectStorage {
    readonly sql: SqlStorage
    transactionSync<T>(run: () => T): T
  }

  export interface DurableObjectState {
    readonly storage: DurableObjectStorage
    blockConcurrencyWhile<T>(run: () => Promise<T>): Promise<T>
  }

  /** Base class of Durable Objects whose public methods are callable over RPC from a stub. */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState
    protected readonly env: Env
    constructor(ctx: DurableObjectState, env: Env)
  }
}
