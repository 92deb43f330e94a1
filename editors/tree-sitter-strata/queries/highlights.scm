; Where two patterns capture one node, the later wins (as in the tree-sitter CLI and Neovim).
; Keywords start items; elsewhere the same words are names.
["import" "system" "tier" "group" "journey" "lint"] @keyword

(comment) @comment
; A suppression: `# strata: allow CODE because REASON`.
((comment) @comment.directive
  (#match? @comment.directive "^(#|//)[ \t]*strata:[ \t]*allow"))

(string) @string
(escape_sequence) @string.escape

[(number) (percent) (duration) (quantity)] @number

[(sync_arrow) (async_arrow)] @operator

; The kinds the checker knows are built in; any other is still a type, which the checker reports.
(component kind: (kind) @type)
((kind) @type.builtin
  (#any-of? @type.builtin
    "client" "dns" "cdn" "waf" "load_balancer" "gateway" "service" "auth" "worker"
    "database" "cache" "queue" "stream" "search" "object_storage" "secret_store"
    "config_store" "metrics" "logging" "tracing" "alerting" "external" "component"))

(component name: (identifier) @constant)
(tier name: (identifier) @module)
(group name: (identifier) @module)
(journey name: (identifier) @function)
(endpoints (identifier) @variable)

(property_name) @property
(rule) @label
(name) @constant.builtin
((name) @boolean
  (#match? @boolean "^(true|false)$"))

["{" "}" "[" "]"] @punctuation.bracket
["," ";" ":"] @punctuation.delimiter
