package p
q if {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
every a in [1] {
true
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
