//! The exercise's programs diagnosed: the tool says what the lesson's answers say.

#[test]
fn the_tool_names_what_limits_each_mystery() {
    lesson_diagnose::kit::names_what_limits_each_mystery(
        "the lesson's answers",
        lesson_diagnose::mystery::answers,
    );
}
