// @ts-check
/* global module */
/**
 * Nest CLI's webpack defaults for one app (`nest build <app>`), minus its per-app type checker:
 * `npm run typecheck` checks the whole repository once, so ts-loader only transpiles here.
 * node_modules stay external (webpack-node-externals in the defaults): the image installs the
 * production dependencies and each app's main.js requires them at run time.
 */
module.exports = (/** @type {import('webpack').Configuration} */ defaults) => ({
  ...defaults,
  devtool: 'source-map',
  plugins: (defaults.plugins ?? []).filter(
    (plugin) => plugin?.constructor?.name !== 'ForkTsCheckerWebpackPlugin',
  ),
  module: {
    ...defaults.module,
    rules: (defaults.module?.rules ?? []).map((rule) => withTranspileOnly(rule)),
  },
});

function withTranspileOnly(rule) {
  if (!rule || typeof rule !== 'object' || !Array.isArray(rule.use)) return rule;
  return {
    ...rule,
    use: rule.use.map((use) =>
      use && typeof use === 'object' && use.loader === 'ts-loader'
        ? { ...use, options: { ...use.options, transpileOnly: true } }
        : use,
    ),
  };
}
