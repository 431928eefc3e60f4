/**
 * `mizan/compiler`: the pure parts of the build — route scanning and matching, the `client()`
 * and `action()` analysis and transform, type and code generation, the manifest. No Vite, no
 * runtime: the Vite plugin and the CLI call these.
 *
 * @example
 * ```ts
 * import { loadApp, buildManifest, stringifyManifest } from 'mizan/compiler'
 * const manifest = buildManifest(await loadApp(process.cwd()))
 * process.stdout.write(stringifyManifest(manifest))
 * ```
 * @module
 */
export { scanRoutes, collectRoutes } from './scan.ts'
export type { ScanOptions } from './scan.ts'
export { routeFromFile, compareRoutes } from './routes.ts'
export type { RouteEntry, RouteTable } from './routes.ts'
export { matchRoute, createMatcher, parsePattern } from './match.ts'
export type { RouteMatch, RouteMatcher, PatternSegment } from './match.ts'
export { analyzeRouteModule, hookName } from './analyze.ts'
export type { ActionInfo, FnInfo, RouteModuleAnalysis, AnalyzeOptions } from './analyze.ts'
export type { NormalizedPolicy } from './policy.ts'
export { transformRouteModule } from './transform.ts'
export type { TransformOptions, TransformOutput } from './transform.ts'
export { loadApp } from './app.ts'
export type { AppModel, RouteModel } from './app.ts'
export { generateTypes, GENERATED_HEADER } from './typegen.ts'
export type { TypegenOptions } from './typegen.ts'
export { writeIfChanged } from './write.ts'
export { generateHooksModule, generateWorkerEntry, generateClientEntry, generateManifestModule, generateClientBuildModule } from './codegen.ts'
export type { ImportOptions, ClientAssetUrls } from './codegen.ts'
export { buildManifest, stringifyManifest } from './manifest.ts'
export type { BuildManifestOptions } from './manifest.ts'
export type { Manifest, ManifestRoute, ManifestFunction, ManifestAction, ManifestPolicy, ManifestPurge, ManifestPurgeEntry, WorkerManifest } from './manifest-types.ts'
export { formatSummary } from './summary.ts'
export { serverOnlyReason, formatImportChain, serverOnlyImportError } from './import-chain.ts'
export { MizanBuildError, codeFrame, formatProblem } from './errors.ts'
export type { BuildProblem, BuildErrorCode } from './errors.ts'
export {
  HOOKS_MODULE, MANIFEST_MODULE, WORKER_ENTRY_MODULE, CLIENT_ENTRY_MODULE,
  REACT_RUNTIME, REACT_CLIENT_RUNTIME, WORKER_RUNTIME, MIZAN_PACKAGE,
} from './specifiers.ts'
