// Merged by @jupyterlab/builder into the prebuilt extension's webpack configuration
// (package.json: jupyterlab.webpackConfig). plotly.js arrives minified, and re-minifying its
// 1.4 MB bundle would take most of the build's time, so nothing is minified (convlab's own code is
// small) and plotly's bundle is not parsed for imports (it has none).
module.exports = {
  module: { noParse: /plotly-cartesian\.min\.js$/ },
  optimization: { minimize: false },
};
