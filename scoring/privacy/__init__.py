"""Personal data: everything stored about one staff member, for a subject-access request."""
