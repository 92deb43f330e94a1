"""Parses Structurizr DSL workspaces with c4studio's parser (PyPI) and prints, one JSON line
per file, its problems (errors, and warnings for what the parser skipped) and how many
people, software systems, containers, relationships and container views it read, so
tests/export.rs can check the export was read whole. Run by .ci/run's virtual environment.
"""

import json
import sys
import warnings

from c4studio.parser.dsl import ParseError, parse_dsl_file


def check(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            workspace = parse_dsl_file(path)
        except ParseError as error:
            return {"path": path, "problems": [str(error)]}
    systems = workspace.software_systems
    return {
        "path": path,
        "problems": workspace.validate() + list(workspace.parse_warnings),
        "people": len(workspace.people),
        "software_systems": len(systems),
        "containers": sum(len(system.containers) for system in systems),
        "relationships": len(workspace.relationships),
        "container_views": len(workspace.views.container_views),
    }


for path in sys.argv[1:]:
    print(json.dumps(check(path)))
