from heelpath.interfaces.cli import app

app(prog_name="heelpath")
