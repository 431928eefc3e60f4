/**
 * A real TCP proxy for fault tests: sits between a client and a server (Redis) and can
 * cut, delay or hang the traffic on demand.
 * @module
 */
import { createConnection, createServer } from 'node:net'
import type { Server, Socket } from 'node:net'

type Mode = 'pass' | 'cut' | 'hang'

/** Resolves at `due` (ms since the epoch). */
function until(due: number): Promise<void> {
  const wait = due - Date.now()
  return wait > 0 ? new Promise((r) => setTimeout(r, wait)) : Promise.resolve()
}

/**
 * A TCP proxy to `target`. Starts passing traffic through; each fault lasts until `heal()`.
 *
 * @example
 * ```ts
 * const proxy = await TcpProxy.start({ port: 6379 })
 * const backend = new RedisCache({ url: proxy.url })
 * proxy.hang()   // Redis seems alive but never answers
 * proxy.heal()   // held bytes flow again, in order
 * await proxy.close()
 * ```
 */
export class TcpProxy {
  readonly port: number
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  #mode: Mode = 'pass'
  #delayMs = 0
  #healed: Promise<void> = Promise.resolve()
  #openGate: () => void = () => {}

  private constructor(server: Server, port: number) {
    this.#server = server
    this.port = port
  }

  /** Listens on a free local port and forwards to `target` (host defaults to 127.0.0.1). */
  static async start(target: { host?: string; port: number }): Promise<TcpProxy> {
    const server = createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port)
    server.on('connection', (socket) => proxy.#accept(socket, target.host ?? '127.0.0.1', target.port))
    return proxy
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Connections currently open (client and server sides). */
  get connections(): number {
    return this.#sockets.size
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket)
    socket.once('close', () => this.#sockets.delete(socket))
    socket.on('error', () => socket.destroy())
  }

  #accept(client: Socket, host: string, port: number): void {
    this.#track(client)
    if (this.#mode === 'cut') {
      client.destroy()
      return
    }
    const server = createConnection({ host, port })
    this.#track(server)
    this.#forward(client, server)
    this.#forward(server, client)
    client.once('close', () => server.destroy())
    server.once('close', () => client.destroy())
  }

  /** Copies `from` to `to` in order, each chunk held while hung and delayed from its arrival. */
  #forward(from: Socket, to: Socket): void {
    let tail = Promise.resolve()
    from.on('data', (chunk: Buffer) => {
      const due = Date.now() + this.#delayMs
      tail = tail.then(async () => {
        while (this.#mode === 'hang') await this.#healed
        await until(due)
        if (!to.destroyed) to.write(chunk)
      })
    })
  }

  /** Destroys every connection and refuses new ones (accepts, then closes them at once). */
  cut(): void {
    this.#mode = 'cut'
    for (const socket of this.#sockets) socket.destroy()
  }

  /** Delays every chunk, both ways, by `ms` from when it arrives. */
  delay(ms: number): void {
    this.#delayMs = ms
  }

  /** Accepts connections and holds every byte, both ways, until `heal()`. */
  hang(): void {
    if (this.#mode === 'hang') return
    this.#mode = 'hang'
    this.#healed = new Promise((resolve) => (this.#openGate = resolve))
  }

  /** Back to passing traffic: no delay, held bytes flow in order, new connections accepted. */
  heal(): void {
    this.#mode = 'pass'
    this.#delayMs = 0
    this.#openGate()
  }

  /** Stops listening and destroys every connection. */
  async close(): Promise<void> {
    this.heal()
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }
}
