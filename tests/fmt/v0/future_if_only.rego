package v0.future_if

import future.keywords.if
import future.keywords.in

deny[msg] { some m in input.ms; msg := m }
allow if 1 in input.xs
