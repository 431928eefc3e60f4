/**
 * A first-in first-out queue with O(1) `push` and `shift`. (A `Map` or `Set` used as a queue
 * is not: V8 leaves deleted slots at the front until the next rehash, and every walk from the
 * front has to step over them.)
 * @module
 */

/** An array-backed FIFO that compacts once more than half of it has been consumed. */
export class Fifo<T> {
  #items: T[] = []
  #head = 0

  get size(): number {
    return this.#items.length - this.#head
  }

  push(item: T): void {
    this.#items.push(item)
  }

  /** The oldest item, without removing it. */
  peek(): T | undefined {
    return this.#items[this.#head]
  }

  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head]
    this.#items[this.#head] = undefined as T
    this.#head += 1
    if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  clear(): void {
    this.#items = []
    this.#head = 0
  }
}
