# nbgrader configuration for the course directory (this folder).
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.root = __import__("os").path.dirname(__file__) or "."
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"

# What a student sees in place of a solution: a stub that fails loudly until it is written.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Release copies carry no outputs; the hidden tests stay in the source only.
c.ClearOutput.enabled = True
c.ClearHiddenTests.enabled = True
