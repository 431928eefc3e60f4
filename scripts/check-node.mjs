// Runs before install, test, typecheck and bench: the toolchain (wrangler, miniflare,
// vitest 5) needs Node >= 22.12, and an older Node fails later with obscure errors.
const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  console.error(
    `Mizan needs Node.js >= 22.12 (this is ${process.version}).\n` +
      'Install it from the npm registry without touching the system Node:\n' +
      '  npm i --prefix "$HOME/.node22" node@22\n' +
      '  export PATH="$HOME/.node22/node_modules/.bin:$PATH"',
  )
  process.exit(1)
}
