// The bundle's entry: loads every federated (prebuilt) extension the server lists in the page
// config, lets webpack's share scope settle which copy of each shared package is used, and only
// then imports the application (index.js), so all plugins see the same singletons.

/* global __webpack_init_sharing__, __webpack_share_scopes__ */

function pageOption(name) {
  const element = document.getElementById('jupyter-config-data');
  const config = element === null ? {} : JSON.parse(element.textContent || '{}');
  return config[name] || '';
}

function loadScript(url) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${url}`));
    script.async = true;
    script.src = url;
    document.head.appendChild(script);
  });
}

async function loadRemote(baseUrl, data) {
  await loadScript(`${baseUrl}/${data.name}/${data.load}`);
  await __webpack_init_sharing__('default');
  await window._JUPYTERLAB[data.name].init(__webpack_share_scopes__.default);
}

void (async () => {
  const baseUrl = pageOption('fullLabextensionsUrl');
  const federated = pageOption('federated_extensions') || [];
  for (const result of await Promise.allSettled(federated.map((data) => loadRemote(baseUrl, data)))) {
    if (result.status === 'rejected') console.error(result.reason);
  }
  const { main } = await import('./index.js');
  if (document.readyState === 'complete') void main();
  else window.addEventListener('load', () => void main());
})();
