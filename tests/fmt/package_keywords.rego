package a.default.if["else"]["b"]

x := 1
