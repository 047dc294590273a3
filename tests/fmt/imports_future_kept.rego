package kept

# without rego.v1, future.keywords imports stay (and are sorted)
import future.keywords.if
import future.keywords.every

p if every x in [1,2] { x > 0 }
