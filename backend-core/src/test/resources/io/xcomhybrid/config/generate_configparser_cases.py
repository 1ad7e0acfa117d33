"""Writes configparser-cases.json: random airflow.cfg-like texts and what Python's configparser makes of them.

The parser is set up as Airflow's AirflowConfigParser is (ConfigParser() defaults, case-preserving option names).
TestConfigparserCases replays the file against IniFile. Regenerate with:
    python3 generate_configparser_cases.py > configparser-cases.json
"""
import configparser
import json
import random

random.seed(20261121)

HEADERS = ["[a]", "[b]", "[DEFAULT]", "[ a ]", "[A]", "[a] x", "[]", "[a]]"]
KEYS = ["k", "j", "K", "x", "key two", "b", "base"]
VALUES = ["v", "%(base)s/x", "100%%", "50%", "%(x)s", "%(k)s", "a:b", "x=y", "# c", "", "%(nope)s", "%%(k)s", "%(b)s%%"]
INDENTS = ["", " ", "  ", "\t", "   "]
DELIMITERS = ["=", ":", " = ", " : ", "  =", "=  "]


def random_line():
    r = random.random()
    if r < 0.12:
        return random.choice(INDENTS[:2]) + random.choice(HEADERS)
    if r < 0.22:
        return random.choice(INDENTS) + random.choice(["#", "; "]) + " comment"
    if r < 0.32:
        return random.choice(["", " ", "\t"])
    if r < 0.45:
        return random.choice(INDENTS[1:]) + random.choice(VALUES + ["cont", "k = v"])
    if r < 0.47:
        return random.choice(INDENTS) + "junk"
    return random.choice(INDENTS[:3]) + random.choice(KEYS) + random.choice(DELIMITERS) + random.choice(VALUES)


def new_parser():
    parser = configparser.ConfigParser()
    parser.optionxform = lambda name: name
    return parser


def first_error_line(text, error):
    """configparser collects syntax errors but raises a duplicate at once: report whichever line comes first."""
    line = getattr(error, "lineno", None) or error.errors[0][0]
    if isinstance(error, (configparser.DuplicateOptionError, configparser.DuplicateSectionError)):
        try:
            new_parser().read_string("\n".join(text.splitlines()[: line - 1]))
        except configparser.ParsingError as earlier:
            line = earlier.errors[0][0]
        except configparser.Error:
            pass
    return line


def case(text):
    parser = new_parser()
    try:
        parser.read_string(text)
    except configparser.Error as error:
        return {"text": text, "errorLine": first_error_line(text, error)}
    entries = [["DEFAULT", k, v] for k, v in parser._defaults.items()]
    for section, options in parser._sections.items():
        entries.extend([section, k, v] for k, v in options.items())
    values = []
    for section in parser.sections():
        for key in parser.options(section):
            try:
                values.append([section, key, parser.get(section, key)])
            except configparser.Error:
                values.append([section, key, None])
    return {"text": text, "entries": entries, "values": values}


cases = []
for _ in range(1200):
    lines = [random_line() for _ in range(random.randint(1, 12))]
    if random.random() < 0.9:
        lines.insert(0, random.choice(["[a]", "[b]", "[DEFAULT]"]))
    text = "\n".join(lines) + random.choice(["", "\n"])
    if random.random() < 0.2:
        text = text.replace("\n", "\r\n")
    cases.append(case(text))
print(json.dumps(cases, indent=0))
