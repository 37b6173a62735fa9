"""The moto server as the AWS endpoint of the tests, with its CloudFormation joining stacks
through exports as CloudFormation does when stacks are deployed through change sets.

    .venv/bin/python scripts/moto-cfn.py PORT

moto 5.2 handles `Export` and `Fn::ImportValue` only for stacks made with CreateStack; tap
deploys through change sets (as CDK does), and there moto has three gaps, closed here so the
test of an app of several stacks judges what AWS judges:
- a stack created or updated from a change set resolves `Fn::ImportValue` against the
  exports of the region (moto gives it none: "No export named ..");
- executing a change set registers the stack's outputs and exports (moto keeps neither;
  an output that reads a resource moto skipped is left out, as the resource is);
- an export another stack imports can neither be removed by an update nor deleted with its
  stack: CloudFormation refuses both ("Export .. cannot be deleted as it is in use by ..").
  moto removes it silently, which would hide the deadlock `cargo tap deploy` avoids.
"""

import sys

from moto.cloudformation.exceptions import ValidationError
from moto.cloudformation.models import CloudFormationBackend
from moto.cloudformation.parsing import OutputMap
from moto.server import main


def output_map(stack):
    """The stack's outputs, leaving out those that read a resource moto skipped (a type its
    CloudFormation does not create, which it reports as created)."""
    outputs = {}
    for key, output in ((stack.template_dict or {}).get("Outputs") or {}).items():
        try:
            OutputMap(stack.resource_map, {"Outputs": {key: output}}, stack.stack_id)[key]
        except Exception:  # noqa: BLE001 - moto raises several kinds for an unresolvable value
            continue
        outputs[key] = output
    return OutputMap(stack.resource_map, {"Outputs": outputs}, stack.stack_id)


def import_names(template, parameters):
    """Every export name a template imports, with the stack's parameters substituted."""
    out, todo = [], [template]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            if "Fn::ImportValue" in v:
                out.append(resolve(v["Fn::ImportValue"], parameters))
            todo.extend(v.values())
        elif isinstance(v, list):
            todo.extend(v)
    return [n for n in out if n]


def export_names(template, parameters):
    """Every export name a template's outputs declare, resolved as `import_names` does."""
    outputs = (template or {}).get("Outputs") or {}
    return [resolve(o["Export"]["Name"], parameters) for o in outputs.values() if "Export" in o]


def resolve(value, parameters):
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("Fn::Sub"), str):
        text = value["Fn::Sub"]
        for k, v in parameters.items():
            text = text.replace("${" + k + "}", str(v))
        return text
    return None


def parameters_of(stack):
    params = dict(stack.resource_map.resolved_parameters)
    params["AWS::StackName"] = stack.name
    return params


def importers(backend, name, exporting_stack_id):
    return [
        s.name
        for s in backend.stacks.values()
        if s.stack_id != exporting_stack_id
        and not s.status.startswith("DELETE")
        and name in import_names(s.template_dict, parameters_of(s))
    ]


def refuse_if_in_use(backend, stack, removed):
    for name in removed:
        users = importers(backend, name, stack.stack_id)
        if users:
            raise ValidationError(message=f"Export {name} cannot be deleted as it is in use by {', '.join(users)}")


original_create_change_set = CloudFormationBackend.create_change_set
original_execute_change_set = CloudFormationBackend.execute_change_set
original_delete_stack = CloudFormationBackend.delete_stack


def create_change_set(self, *args, **kwargs):
    result = original_create_change_set(self, *args, **kwargs)
    for stack in self.stacks.values():
        stack.cross_stack_resources = self.exports
        stack.resource_map.cross_stack_resources = self.exports
    return result


def execute_change_set(self, change_set_name, stack_name=None):
    # By ARN, or by name within the stack (two stacks may each have a change set of one name).
    named = [
        c
        for c in self.change_sets.values()
        if c.change_set_name == change_set_name and stack_name in (None, c.stack_name, c.stack_id)
    ]
    change_set = self.change_sets.get(change_set_name) or (named[-1] if named else None)
    if change_set is None:
        return original_execute_change_set(self, change_set_name, stack_name)
    stack = change_set.stack
    before = [e.name for e in stack.exports] if stack.template_dict else []
    params = parameters_of(stack)
    params.update(change_set.parameters or {})
    after = export_names(change_set.template_dict, params)
    refuse_if_in_use(self, stack, [n for n in before if n not in after])
    original_execute_change_set(self, change_set_name, stack_name)
    stack._parse_template()
    stack.output_map = output_map(stack)
    for name in before:
        self.exports.pop(name, None)
    for export in stack.exports:
        self.exports[export.name] = export


def delete_stack(self, name_or_stack_id):
    for stack in list(self.stacks.values()):
        if name_or_stack_id in (stack.stack_id, stack.name):
            refuse_if_in_use(self, stack, [e.name for e in stack.exports])
    return original_delete_stack(self, name_or_stack_id)


CloudFormationBackend.create_change_set = create_change_set
CloudFormationBackend.execute_change_set = execute_change_set
CloudFormationBackend.delete_stack = delete_stack

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
