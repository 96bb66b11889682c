// Sets webpack's public path from the page config before anything else loads, so lazy chunks are
// fetched from the server's static URL (which includes the base URL).

/* global __webpack_public_path__ */
const element = document.getElementById('jupyter-config-data');
const config = element === null ? {} : JSON.parse(element.textContent || '{}');
// eslint-disable-next-line no-global-assign
__webpack_public_path__ = `${config.fullStaticUrl}/`;
