"""convlab's JupyterLab server: Debian's jupyter_server + jupyterlab_server serving the front end
built in build/ (see webpack.config.js), with prebuilt extensions from every Jupyter data folder
(`labextensions/` under each JUPYTER_PATH entry, the user's, this Python environment's and the
system's, as JupyterLab looks for them) and two small stand-ins for endpoints of jupyter_server 2
that version 1.23 lacks. Settings and workspaces go to <project>/.convlab/lab, where the project is
CONVLAB_PROJECT (default: the current folder).

Run: CONVLAB_PROJECT=<project> JUPYTER_PATH=<project>/.convlab/jupyter /usr/bin/python3 convlab_lab.py
--ServerApp.ip=127.0.0.1 ... (`convlab-lab` and this repository's `npm start` do this).
"""

import getpass
import json
import os

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
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
        requested = json.loads(self.get_argument("permissions", "{}"))
        self.finish(json.dumps({
            "identity": {"username": name, "name": name, "display_name": name,
                         "initials": name[:1].upper(), "avatar_url": None, "color": None},
            "permissions": {resource: list(actions) for resource, actions in requested.items()},
        }))


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

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.extend([
            (r"/api/me", IdentityHandler),
            (r"/api/events/subscribe", EventsHandler),
        ])


if __name__ == "__main__":
    ConvlabLab.launch_instance()
