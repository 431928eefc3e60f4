import { describe, expect, it } from 'vitest'
import { Fifo } from './fifo.ts'

describe('Fifo', () => {
  it('returns items in insertion order across compactions', () => {
    const queue = new Fifo<number>()
    const out: number[] = []
    for (let i = 0; i < 5_000; i++) {
      queue.push(i)
      if (i % 3 !== 0) out.push(queue.shift()!)
    }
    expect(queue.peek()).toBe(out.length)
    while (queue.size > 0) out.push(queue.shift()!)
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, i) => i))
    expect(queue.shift()).toBeUndefined()
    expect(queue.peek()).toBeUndefined()
  })
})
