"""One place where the command line turns heelpath errors into a message and exit status 2."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

EXIT_INPUT = 2


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Run `command`; a HeelpathError becomes a one-line message on stderr and exit 2.

    Reading and validating input raise HeelpathErrors that name the problem (the limits on JSON
    input are in :mod:`heelpath.services.jsonio`); anything else is a bug and keeps its traceback.
    """
    from heelpath.errors import HeelpathError

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except HeelpathError as exc:
            # escaped: messages quote the input, and "[/x]" in a finding id would be read as markup
            Console(stderr=True).print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_INPUT) from None

    return wrapper
