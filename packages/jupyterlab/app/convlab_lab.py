"""convlab's JupyterLab server: Debian's jupyter_server + jupyterlab_server serving the front end
built in build/ (see webpack.config.js), with prebuilt extensions from every Jupyter data folder
(`labextensions/` under each JUPYTER_PATH entry, the user's, this Python environment's and the
system's, as JupyterLab looks for them) and two small stand-ins for endpoints of jupyter_server 2
that version 1.23 lacks. Settings and workspaces go to <project>/.convlab/lab, where the project is
CONVLAB_PROJECT (default: the current folder).

Run: CONVLAB_PROJECT=<project> JUPYTER_PATH=<project>/.convlab/jupyter /usr/bin/python3 convlab_lab.py
--ServerApp.ip=127.0.0.1 ... (`convlab-lab` and this repository's `npm start` do this). A repeated
option keeps its last value, so that arguments after the starters' defaults override them; with
`--ConvlabLab.announce=<label>` the server prints `<label>: <url with token>` once it listens (never
before: the port is bound first, so two simultaneous starts cannot print the same port).
"""

import getpass
import json
import os
import sys

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyter_server.serverapp import aliases as server_aliases
from jupyter_server.utils import url_path_join
from jupyterlab_server import LabServerApp
from tornado import web, websocket
from jupyter_core.paths import jupyter_path
from traitlets import List, Unicode

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(HERE, "build")
STATE = os.path.join(os.path.abspath(os.environ.get("CONVLAB_PROJECT", os.getcwd())), ".convlab")

# Configuration files elsewhere on the machine must not change this app.
os.environ["JUPYTER_NO_CONFIG"] = "1"


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": ConvlabLab}]


class IdentityHandler(APIHandler):
    """`GET /api/me` (jupyter_server 2): who is logged in and what they may do."""

    @web.authenticated
    def get(self):
        name = getpass.getuser()
        self.finish(json.dumps({
            "identity": {"username": name, "name": name, "display_name": name,
                         "initials": name[:1].upper(), "avatar_url": None, "color": None},
            "permissions": self._requested_permissions(),
        }))

    def _requested_permissions(self):
        """The `permissions` argument, `{"resource": ["action", ...]}` as JSON (all granted: one local
        user). Anything else is a 400 that does not repeat the input, as in jupyter_server 2."""
        text = self.get_argument("permissions", "")
        if text == "":
            return {}
        bad = 'permissions should be a JSON object of {"resource": ["action", ...]}'
        try:
            requested = json.loads(text)
        except ValueError:
            raise web.HTTPError(400, bad + ", got text that is not JSON") from None
        if not isinstance(requested, dict):
            raise web.HTTPError(400, bad + ", got a JSON " + type(requested).__name__)
        for actions in requested.values():
            if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
                raise web.HTTPError(400, bad + ", got a resource whose actions are not a list of strings")
        return requested


class EventsHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """`/api/events/subscribe` (jupyter_server 2): a server event stream. jupyter_server 1.23 emits
    no events, so the socket stays open and silent."""

    async def get(self, *args, **kwargs):
        if self.current_user is None:
            raise web.HTTPError(403)
        return await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


def _version():
    with open(os.path.join(HERE, "package.json"), encoding="utf-8") as f:
        return json.load(f)["version"]


class ConvlabLab(LabServerApp):
    name = "convlab_lab"
    load_other_extensions = False
    app_name = "convlab JupyterLab"
    app_version = _version()
    static_dir = os.path.join(BUILD, "static")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = os.path.join(HERE, "settings")
    # Configurable so that tests can keep their settings (e.g. the theme) apart from the user's.
    user_settings_dir = Unicode(os.path.join(STATE, "lab", "user-settings")).tag(config=True)
    workspaces_dir = Unicode(os.path.join(STATE, "lab", "workspaces")).tag(config=True)
    labextensions_path = List(Unicode(), jupyter_path("labextensions")).tag(config=True)
    announce = Unicode("", help="When set, print '<announce>: <URL with token>' once the server listens.").tag(config=True)

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.extend([
            (r"/api/me", IdentityHandler),
            (r"/api/events/subscribe", EventsHandler),
        ])
        if self.announce:
            # Runs once the IO loop starts: after the port is bound and the start-up checks passed.
            self.serverapp.io_loop.add_callback(self._print_url)

    def _print_url(self):
        server = self.serverapp
        url = url_path_join(server.connection_url, "lab")
        if server.token:
            url += "?token=" + server.token
        print(f"\n{self.announce}: {url}\n", flush=True)


def _option_key(arg):
    """`Class.trait` for a `--Class.trait[=value]` or server alias (`--port` is `ServerApp.port`)
    argument, None for anything else (flags such as `--allow-root`, values)."""
    if not arg.startswith("--"):
        return None
    name = arg[2:].split("=", 1)[0]
    return name if "." in name else server_aliases.get(name)


def last_wins(argv):
    """`argv` with only the last of each repeated `--Class.trait=value` / `--Class.trait value` option:
    traitlets refuses two values for a one-value trait, and a starter's defaults come before the
    user's arguments."""
    options = []
    i = 0
    while i < len(argv):
        key = _option_key(argv[i])
        width = 2 if key is not None and "=" not in argv[i] and i + 1 < len(argv) else 1
        options.append((key, argv[i:i + width]))
        i += width
    last = {key: n for n, (key, _) in enumerate(options) if key is not None}
    return [arg for n, (key, group) in enumerate(options) if key is None or last[key] == n for arg in group]


if __name__ == "__main__":
    ConvlabLab.launch_instance(last_wins(sys.argv[1:]))
