# before the package

package comments
# after the package

import data.a # on an import

# before a rule
p if { # on the opening brace
  input.x # on an expression

  # inside the body
  input.y
  # before the closing brace
} # on the closing brace

obj := {
  "a": 1, # on an entry
  # before an entry
  "b": 2,
} # after the object

# at the end
