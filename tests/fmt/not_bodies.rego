package shop

import future.keywords.not

# a negated body keeps its braces, one row or several
closed if {
	not {input.day == "sunday"}
	not {   input.hour < 9 ;input.hour > 20 }
	not {
		input.holiday
		input.region == "north"
	}
}

# a union leading the negated body keeps its parentheses
empty if not { (input.a | input.b) == set() }

# the negation of a parenthesized set stays a set
no_tags if not ({input.tag})
