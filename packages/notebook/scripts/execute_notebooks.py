"""Executes Jupyter notebooks on a TypeScript kernel (tslab or deno) with nbclient and reports what happened.

Usage: execute_notebooks.py [--kernel NAME] [--write] [--report FILE] [--timeout SECONDS] NOTEBOOK...

For each notebook: runs every code cell in order on the kernel (default tslab; the notebook's own folder
is the working directory), stops at the first cell error, counts the convlab exercise checks
(`application/vnd.convlab.check.v1+json` outputs, passed or failed) and the display messages of
each cell (`display_data`, `update_display_data`). Prints one line per notebook and a summary;
with --write, saves the outputs into notebooks that ran without error; with --report, writes the
details as JSON. Exits 1 if any notebook failed. Run by convlab-notebooks (`npm run notebooks`) with JUPYTER_PATH set.
"""
import argparse
import asyncio
import json
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError, CellTimeoutError, DeadKernelError

CHECK_MIME = 'application/vnd.convlab.check.v1+json'
COUNTED = ('display_data', 'update_display_data', 'stream', 'error', 'execute_result')


class CountingClient(NotebookClient):
    """An nbclient that counts the iopub messages of each cell by type, and keeps late outputs.

    Late outputs: Deno's kernel (2.9) can publish a cell's `display_data` after that cell's
    `status: idle` (its iopub socket flushes messages sent from the JavaScript thread later than the
    kernel's own; see kernel/deno-channel.ts of @convlab/notebook). nbclient stops reading a cell's
    messages at `idle` and then ignores them, so they would be lost. This client routes every
    message to the cell whose request it answers, even while a later cell runs, and after the last
    cell runs one empty request to collect what is still in flight. Late messages are counted per
    cell under `late` in the report; tslab sends none.
    """

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.message_counts = {}
        self.current_cell = None
        self.cells_by_request = {}

    def process_message(self, msg, cell, cell_index):
        self.current_cell = cell_index
        self._count(msg, cell_index)
        return super().process_message(msg, cell, cell_index)

    def _count(self, msg, cell_index, key=None):
        msg_type = key or msg['msg_type']
        if msg_type in COUNTED or key is not None:
            counts = self.message_counts.setdefault(cell_index, {})
            counts[msg_type] = counts.get(msg_type, 0) + 1

    def _route_late(self, msg):
        """Adds an output of an earlier cell (its idle already came) to that cell."""
        target = self.cells_by_request.get(msg['parent_header'].get('msg_id'))
        if target is None or msg['msg_type'] == 'status':
            return
        cell, cell_index = target
        self._count(msg, cell_index, 'late')
        try:
            NotebookClient.process_message(self, msg, cell, cell_index)
        except CellExecutionComplete:
            pass
        self._count(msg, cell_index)

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self.cells_by_request[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await self.kc.iopub_channel.get_msg(timeout=None)
            if msg['parent_header'].get('msg_id') == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    return
            else:
                self._route_late(msg)

    async def collect_late_outputs(self, seconds=0.5):
        """Sends an empty request and routes what arrives until its idle, then for `seconds` more."""
        request = self.kc.execute('', silent=True, store_history=False)
        loop = asyncio.get_running_loop()
        deadline = None
        while deadline is None or loop.time() < deadline:
            try:
                msg = await self.kc.iopub_channel.get_msg(timeout=seconds)
            except Exception:
                break
            if msg['parent_header'].get('msg_id') == request:
                if msg['msg_type'] == 'status' and msg['content'].get('execution_state') == 'idle':
                    deadline = loop.time() + seconds
            else:
                self._route_late(msg)

    async def async_execute_cell(self, cell, cell_index, **kw):
        result = await super().async_execute_cell(cell, cell_index, **kw)
        if cell_index == len(self.nb.cells) - 1:
            await self.collect_late_outputs()
        return result


def checks_in(nb):
    """(passed, failed) check names, from the check outputs of every cell."""
    passed, failed = [], []
    for cell in nb.cells:
        for out in cell.get('outputs', []):
            data = out.get('data', {}).get(CHECK_MIME)
            if isinstance(data, str):
                data = json.loads(data)
            if isinstance(data, dict):
                (passed if data.get('passed') is True else failed).append(data.get('name', '?'))
    return passed, failed


def error_text(cell):
    """What a failed cell reported: its error outputs, else the error line of its stderr (tslab
    prints errors with their stack there), else the first lines of its stderr."""
    errors, stderr = [], []
    for out in cell.get('outputs', []):
        if out.get('output_type') == 'error':
            errors.append('%s: %s' % (out.get('ename'), out.get('evalue')))
        elif out.get('output_type') == 'stream' and out.get('name') == 'stderr':
            stderr.extend(out.get('text', '').splitlines())
    if errors:
        return '\n'.join(errors)
    error_line = next((line for line in stderr if re.match(r'^[A-Za-z]*Error\b', line)), None)
    if error_line is not None:
        return error_line.strip()
    lines = [line for line in stderr if line.strip()]
    return '\n'.join(lines[:5]) or 'the cell failed without printing an error'


def run(path, kernel, timeout, write):
    nb = nbformat.read(path, as_version=4)
    client = CountingClient(
        nb, timeout=timeout, kernel_name=kernel, record_timing=False,
        resources={'metadata': {'path': os.path.dirname(os.path.abspath(path))}})
    start = time.monotonic()
    error = None
    failed_cell = None
    try:
        client.execute()
    except CellExecutionError:
        failed_cell = client.current_cell
        error = error_text(nb.cells[failed_cell]) if failed_cell is not None else 'a cell failed'
    except (CellTimeoutError, DeadKernelError) as e:
        error = '%s: %s' % (type(e).__name__, str(e).strip().splitlines()[0] if str(e).strip() else '')
    seconds = time.monotonic() - start
    passed, failed = checks_in(nb)
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == 'code']
    executed = [i for i in code_cells if nb.cells[i].get('execution_count') is not None]
    if write and error is None:
        nbformat.write(nb, path)
    return {
        'path': path,
        'kernel': kernel,
        'ok': error is None,
        'error': error,
        'failedCell': failed_cell,
        'cells': len(code_cells),
        'executedCells': len(executed),
        'checks': {'passed': passed, 'failed': failed},
        'messages': {str(i): client.message_counts.get(i, {}) for i in code_cells},
        'seconds': round(seconds, 2),
        'written': write and error is None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('notebooks', nargs='+')
    parser.add_argument('--kernel', default='tslab', help='kernelspec name (default tslab)')
    parser.add_argument('--write', action='store_true', help='save outputs into notebooks that ran without error')
    parser.add_argument('--report', help='write a JSON report here')
    parser.add_argument('--timeout', type=int, default=900, help='seconds per cell (default 900)')
    args = parser.parse_args()

    start = time.monotonic()
    results = []
    for path in args.notebooks:
        r = run(path, args.kernel, args.timeout, args.write)
        results.append(r)
        n_pass, n_fail = len(r['checks']['passed']), len(r['checks']['failed'])
        mark = 'ok  ' if r['ok'] else 'FAIL'
        print('%s [%s] %s  %d/%d cells  checks %d passed, %d failed  %.1fs%s' % (
            mark, args.kernel, os.path.relpath(path), r['executedCells'], r['cells'], n_pass, n_fail, r['seconds'], '  (outputs saved)' if r['written'] else ''))
        if not r['ok']:
            where = 'cell %d: ' % (r['failedCell'] + 1) if r['failedCell'] is not None else ''
            print('     ' + where + r['error'].replace('\n', '\n     '))
        sys.stdout.flush()

    total = time.monotonic() - start
    failed_nb = [r for r in results if not r['ok']]
    summary = {
        'notebooks': len(results),
        'failedNotebooks': len(failed_nb),
        'cells': sum(r['executedCells'] for r in results),
        'checksPassed': sum(len(r['checks']['passed']) for r in results),
        'checksFailed': sum(len(r['checks']['failed']) for r in results),
        'seconds': round(total, 2),
        'kernel': args.kernel,
    }
    print('notebooks: %d run, %d failed · cells: %d executed · checks: %d passed, %d failed · time %.1fs · kernel %s' % (
        summary['notebooks'], summary['failedNotebooks'], summary['cells'], summary['checksPassed'], summary['checksFailed'], total, args.kernel))
    if args.report:
        with open(args.report, 'w') as f:
            json.dump({'summary': summary, 'notebooks': results}, f, indent=1)
    return 1 if failed_nb else 0


if __name__ == '__main__':
    sys.exit(main())
