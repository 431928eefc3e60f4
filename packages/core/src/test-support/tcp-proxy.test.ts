import { createConnection, createServer } from 'node:net'
import type { Server, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TcpProxy } from './tcp-proxy.ts'

let echo: Server
let echoPort = 0

beforeAll(async () => {
  echo = createServer((socket) => socket.pipe(socket))
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()))
  echoPort = (echo.address() as { port: number }).port
})
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())))

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** Sends `text` and resolves with the echo and how long it took (ms), or 'closed'. */
function roundTrip(socket: Socket, text: string): Promise<{ reply: string; ms: number } | 'closed'> {
  const start = performance.now()
  return new Promise((resolve) => {
    socket.once('data', (data) => resolve({ reply: data.toString(), ms: performance.now() - start }))
    socket.once('close', () => resolve('closed'))
    socket.write(text)
  })
}

describe('TcpProxy', () => {
  it('passes traffic through, delays it, holds it while hung and releases it in order on heal', async () => {
    const proxy = await TcpProxy.start({ port: echoPort })
    const socket = await open(proxy.port)
    expect(await roundTrip(socket, 'a')).toMatchObject({ reply: 'a' })
    proxy.delay(100)
    const delayed = await roundTrip(socket, 'b')
    expect(delayed).toMatchObject({ reply: 'b' })
    expect((delayed as { ms: number }).ms).toBeGreaterThanOrEqual(190) // 100 ms each way
    proxy.heal()
    proxy.hang()
    let replied = ''
    socket.on('data', (d) => (replied += d.toString()))
    socket.write('c')
    socket.write('d')
    await new Promise((r) => setTimeout(r, 150))
    expect(replied).toBe('')
    proxy.heal()
    await new Promise((r) => setTimeout(r, 50))
    expect(replied).toBe('cd')
    socket.destroy()
    await proxy.close()
  })

  it('cut closes open connections and refuses new ones until heal', async () => {
    const proxy = await TcpProxy.start({ port: echoPort })
    const socket = await open(proxy.port)
    const closed = new Promise((r) => socket.once('close', r))
    proxy.cut()
    await closed
    const refused = await open(proxy.port)
    expect(await roundTrip(refused, 'x')).toBe('closed')
    proxy.heal()
    const again = await open(proxy.port)
    expect(await roundTrip(again, 'y')).toMatchObject({ reply: 'y' })
    again.destroy()
    await proxy.close()
  })
})
