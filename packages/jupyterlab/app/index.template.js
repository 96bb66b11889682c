// The application's entry, generated into build/entry/index.js by webpack.config.js, which fills in
// the bundled plugin modules. bootstrap.js imports it after loading the federated extensions.

import { JupyterLab } from '@jupyterlab/application';
import { PageConfig } from '@jupyterlab/coreutils';

import './style.js';

/** [package name, module loader] of each extension compiled into this bundle. */
const BUNDLED = [
  /* BUNDLED_PLUGINS */
];
const BUNDLED_MIME = [
  /* BUNDLED_MIME_PLUGINS */
];

/** The plugins a module exports (ES module default or CommonJS), without disabled ones. */
function plugins(module, disabled) {
  const exported = Object.prototype.hasOwnProperty.call(module, '__esModule') ? module.default : module;
  const all = Array.isArray(exported) ? exported : [exported];
  return all.filter((plugin) => {
    if (PageConfig.Extension.isDisabled(plugin.id)) {
      disabled.push(plugin.id);
      return false;
    }
    return true;
  });
}

async function federatedModule(scope, module) {
  const factory = await window._JUPYTERLAB[scope].get(module);
  return factory();
}

/** Loads the bundled and federated plugins and starts JupyterLab. */
export async function main() {
  const disabled = [];
  const federated = JSON.parse(PageConfig.getOption('federated_extensions'));
  const federatedNames = new Set(federated.map((data) => data.name));

  const settle = async (promises) => {
    const modules = [];
    for (const result of await Promise.allSettled(promises)) {
      if (result.status === 'fulfilled') modules.push(result.value);
      else console.error(result.reason);
    }
    return modules;
  };
  const federatedPlugins = await settle(federated.filter((d) => d.extension).map((d) => federatedModule(d.name, d.extension)));
  const federatedMime = await settle(federated.filter((d) => d.mimeExtension).map((d) => federatedModule(d.name, d.mimeExtension)));
  await settle(federated.filter((d) => d.style).map((d) => federatedModule(d.name, d.style)));

  const bundled = (list) => list.filter(([name]) => !federatedNames.has(name)).map(([, load]) => load());
  const mimeExtensions = [...bundled(BUNDLED_MIME), ...federatedMime].flatMap((m) => plugins(m, disabled));
  const pluginsToRegister = [...bundled(BUNDLED), ...federatedPlugins].flatMap((m) => plugins(m, disabled));

  const lab = new JupyterLab({
    mimeExtensions,
    disabled: { matches: disabled, patterns: PageConfig.Extension.disabled.map((v) => v.raw) },
  });
  lab.registerPluginModules(pluginsToRegister);
  await lab.start();
}
