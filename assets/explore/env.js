// The vendored ES modules (urql, Graphcache) read process.env.NODE_ENV, which a bundler
// would have replaced at build time. The explorer has no bundler: define it here, in a
// classic script that runs before any module.
window.process = window.process || { env: { NODE_ENV: 'production' } };
