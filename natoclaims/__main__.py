from natoclaims.cli import main

main()
