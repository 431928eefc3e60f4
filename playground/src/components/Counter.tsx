import { useState } from 'react'

export function Counter() {
  const [count, setCount] = useState(0)
  return (
    <p>
      <button type="button" data-testid="counter" onClick={() => setCount((n) => n + 1)}>
        Clicked {count} times
      </button>
    </p>
  )
}
