// Builds convlab's JupyterLab front end from the npm @jupyterlab packages listed in package.json
// (`jupyterlab.extensions`). Prebuilt (federated) extensions such as @convlab/jupyterlab are not
// compiled in: the page loads them at start-up from the server's labextensions path, sharing the
// versions in `resolutions` through webpack module federation.
//
// Everything generated goes to build/ (git-ignored): build/static (the bundle the server serves),
// build/schemas and build/themes (settings schemas and theme CSS), build/entry (generated sources).

const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');
const { merge } = require('webpack-merge');
const { Build } = require('@jupyterlab/builder');
const baseConfig = require('@jupyterlab/builder/lib/webpack.config.base');

const app = require('./package.json');
const buildDir = path.join(__dirname, 'build');
const entryDir = path.join(buildDir, 'entry');
const staticDir = path.join(buildDir, 'static');

fs.rmSync(buildDir, { recursive: true, force: true });
fs.mkdirSync(entryDir, { recursive: true });

// Copies each extension's settings schemas and themes, writes entry/style.js importing their CSS,
// and returns the webpack configurations that compile the themes.
const themeConfigs = Build.ensureAssets({
  packageNames: app.jupyterlab.extensions,
  output: entryDir,
  schemaOutput: buildDir,
  themeOutput: buildDir,
});

/** `require(...)` expressions of the plugin modules of the bundled extensions, by kind. */
function pluginModules() {
  const plugins = [];
  const mimePlugins = [];
  for (const name of app.jupyterlab.extensions) {
    const { jupyterlab } = require(`${name}/package.json`);
    const module = (entry) => JSON.stringify(entry === true ? name : `${name}/${entry}`);
    if (jupyterlab.extension) plugins.push(`[${JSON.stringify(name)}, () => require(${module(jupyterlab.extension)})]`);
    if (jupyterlab.mimeExtension) mimePlugins.push(`[${JSON.stringify(name)}, () => require(${module(jupyterlab.mimeExtension)})]`);
  }
  // convlab's own plugin, compiled in from this folder.
  plugins.push(`['@convlab/jupyterlab-app', () => require('./notebooks-launcher.js')]`);
  return { plugins, mimePlugins };
}

const { plugins, mimePlugins } = pluginModules();
fs.writeFileSync(
  path.join(entryDir, 'index.js'),
  fs.readFileSync(path.join(__dirname, 'index.template.js'), 'utf8')
    .replace('/* BUNDLED_PLUGINS */', plugins.join(',\n  '))
    .replace('/* BUNDLED_MIME_PLUGINS */', mimePlugins.join(',\n  ')),
);
fs.copyFileSync(path.join(__dirname, 'bootstrap.js'), path.join(entryDir, 'bootstrap.js'));
for (const file of ['public-path.js', 'notebooks-launcher.js']) fs.copyFileSync(path.join(__dirname, file), path.join(entryDir, file));

/** Module federation's share configuration: every resolution, singletons marked. */
function shared() {
  const config = {};
  for (const [name, requiredVersion] of Object.entries(app.resolutions)) config[name] = { requiredVersion };
  for (const name of app.jupyterlab.extensions) {
    config[name] ??= { requiredVersion: require(`${name}/package.json`).version };
  }
  for (const name of app.jupyterlab.singletonPackages) config[name].singleton = true;
  return config;
}

module.exports = [
  merge(baseConfig, {
    mode: 'development',
    devtool: false,
    entry: [path.join(entryDir, 'public-path.js'), path.join(entryDir, 'bootstrap.js')],
    output: {
      path: staticDir,
      filename: 'bundle.js',
      chunkFilename: '[name].[contenthash].js',
      library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_OUTPUT'] },
    },
    resolve: { modules: ['node_modules', path.join(__dirname, 'node_modules')] },
    performance: { hints: false },
    plugins: [
      new webpack.container.ModuleFederationPlugin({
        name: 'CORE_FEDERATION',
        library: { type: 'var', name: ['_JUPYTERLAB', 'CORE_LIBRARY_FEDERATION'] },
        shared: shared(),
      }),
    ],
  }),
].concat(themeConfigs);
